package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over catalog snapshots: a snapshot is read only when its ledger
 * key signed it, so besides snapshots damaged after signing (which the signature refuses) the
 * fuzzer re-signs each damaged body with the trusted key, as a key holder who got the snapshot
 * wrong would, to reach the row parser: lines cut, repeated, emptied or given huge, negative or
 * non-decimal numbers, keys with control bytes, invalid UTF-8, a byte-order mark, counts that
 * disagree. {@link CatalogIndex#read(org.evidencekit.storage.EvidenceStore, EvidenceLedger,
 * org.evidencekit.trust.TrustAnchors)} never throws: it refuses the snapshot (named in {@link
 * CatalogIndex#refused()}, the index folded from the ledger), or takes it, giving the ledger's rows
 * when the signed bytes are intact, and what the key holder signed otherwise, which {@link
 * CatalogIndex#audit} then tells from the ledger. The seed is fixed.
 */
class CatalogSnapshotFuzzTest {
  static final long SEED = 0x5EED_16F2L;
  static final int MUTANTS = 300;
  static final Duration HANG_GUARD = Duration.ofSeconds(10);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  /** What a snapshot's ledger key signs: the format's frozen prefix and the body's SHA-256. */
  static final String SIGNED_PREFIX = "evidencekit-catalog 6 signature\n";

  static final String[] NASTY_FIELDS = {
    "",
    "-1",
    "-0",
    "00000000000000000000000",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "+5",
    "0x10",
    "1e3",
    " 7",
    "\u0000",
    "d",
    "p",
    "end",
    "signature",
    "\t\t\t",
    "a".repeat(70_000),
  };

  /** A refusal that is a JDK exception's message behind the snapshot's name only. */
  static final java.util.regex.Pattern JDK_MESSAGE =
      java.util.regex.Pattern.compile(
          "^[^ ]*: not a catalog snapshot: (?:For input string|Illegal base64|Index -?[0-9]+ out"
              + " of bounds|Input byte\\[\\]|Last unit|Cannot invoke|null$)");

  record Ledger(InMemoryEvidenceStore store, EvidenceLedger ledger, ObjectKey snapshot) {}

  static Ledger ledger() throws IOException {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
    for (int n = 0; n < 40; n++) {
      String key = String.format(Locale.ROOT, "cam/rec-%03d.mp4", n % 17);
      boolean dispose = n % 7 == 6;
      ledger.append(
          LedgerEntry.builder()
              .type(dispose ? EntryType.DISPOSED : EntryType.SEALED)
              .time(CLOCK.instant())
              .actor(dispose ? "officer-1" : "station-1")
              .subject(key)
              .payloadDigest(String.format(Locale.ROOT, "%064x", n))
              .build());
    }
    CatalogIndex.write(store, ledger, 1, CatalogIndexTest.LEDGER_KEY);
    ObjectKey snapshot = CatalogIndex.key(ledger.size());
    return new Ledger(store, ledger, snapshot);
  }

  static byte[] bytes(InMemoryEvidenceStore store, ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key);
        InputStream in = Channels.newInputStream(ch)) {
      return in.readAllBytes();
    }
  }

  /** The snapshot's body (everything before its signature line) signed again by the ledger key. */
  static byte[] resign(byte[] body) throws IOException {
    String digest = HashAlgorithm.SHA256.hash(body).hex();
    byte[] signature =
        CatalogIndexTest.LEDGER_KEY.sign((SIGNED_PREFIX + digest).getBytes(StandardCharsets.UTF_8));
    byte[] line =
        ("signature\t"
                + Base64.getEncoder().encodeToString(CatalogIndexTest.LEDGER_KEY.publicKeyDer())
                + "\t"
                + Base64.getEncoder().encodeToString(signature)
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(body, body.length + line.length);
    System.arraycopy(line, 0, out, body.length, line.length);
    return out;
  }

  /** One byte-level mutation: a bit flipped, a byte set, a cut, bytes inserted or repeated. */
  static byte[] mutateBytes(byte[] b, Random r) {
    int at = r.nextInt(b.length);
    switch (r.nextInt(5)) {
      case 0:
        b[at] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 1:
        b[at] = (byte) new int[] {0, 0x0a, 0x09, 0xff, 0xc3, 0xef, 0x80}[r.nextInt(7)];
        return b;
      case 2:
        return java.util.Arrays.copyOf(b, at);
      case 3:
        {
          byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
          byte[] out = new byte[b.length + 3];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(bom, 0, out, at, 3);
          System.arraycopy(b, at, out, at + 3, b.length - at);
          return out;
        }
      default:
        {
          int len = 1 + r.nextInt(Math.min(b.length - at, 200));
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, at + len);
          System.arraycopy(b, at, out, at + len, b.length - at);
          return out;
        }
    }
  }

  /** One line-level mutation of a snapshot body. */
  static byte[] mutateLines(byte[] body, Random r) {
    List<String> lines =
        new ArrayList<>(List.of(new String(body, StandardCharsets.UTF_8).split("\n", -1)));
    // the last element is the empty string after the final newline
    int i = r.nextInt(Math.max(1, lines.size() - 1));
    String line = lines.get(i);
    switch (r.nextInt(6)) {
      case 0:
        {
          String[] f = line.split("\t", -1);
          f[r.nextInt(f.length)] = NASTY_FIELDS[r.nextInt(NASTY_FIELDS.length)];
          lines.set(i, String.join("\t", f));
          break;
        }
      case 1:
        lines.add(i, line);
        break;
      case 2:
        lines.remove(i);
        break;
      case 3:
        lines.set(i, line + "\t" + NASTY_FIELDS[r.nextInt(NASTY_FIELDS.length)]);
        break;
      case 4:
        lines.add(i, lines.get(r.nextInt(lines.size())));
        break;
      default:
        {
          int j = r.nextInt(lines.size());
          lines.set(i, lines.get(j));
          lines.set(j, line);
        }
    }
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDamagedSnapshotIsTakenOrRefusedAndTheIndexIsTheLedgersEither() throws IOException {
    Ledger l = ledger();
    byte[] original = bytes(l.store(), l.snapshot());
    int sig = new String(original, StandardCharsets.ISO_8859_1).lastIndexOf("signature\t");
    byte[] body = java.util.Arrays.copyOf(original, sig);
    CatalogIndex undamaged = CatalogIndex.read(l.store(), l.ledger(), CatalogIndexTest.TRUSTED);
    assertEquals(
        java.util.OptionalLong.of(l.ledger().size()),
        undamaged.snapshot(),
        "the undamaged snapshot is taken");
    CatalogIndex folded = CatalogIndex.read(l.store(), l.ledger());
    String expected = rows(folded);
    String expectedRecordings = folded.recordings().toString();
    assertEquals(expected, rows(undamaged));
    Random r = new Random(SEED);
    Map<String, String> failures = new LinkedHashMap<>();
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < MUTANTS; i++) {
      byte[] b;
      String how;
      switch (r.nextInt(3)) {
        case 0:
          b = mutateBytes(original.clone(), r);
          how = "damaged after signing";
          break;
        case 1:
          b = resign(mutateBytes(body.clone(), r));
          how = "body damaged, signed again";
          break;
        default:
          {
            byte[] m = body.clone();
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
              m = mutateLines(m, r);
            }
            b = resign(m);
            how = "lines damaged, signed again";
          }
      }
      byte[] input = b;
      boolean signedAgain = !how.equals("damaged after signing");
      try {
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> {
              InMemoryEvidenceStore store = copyWith(l.store(), l.snapshot(), input);
              CatalogIndex index = CatalogIndex.read(store, l.ledger(), CatalogIndexTest.TRUSTED);
              if (index.snapshot().isEmpty()) {
                assertEquals(1, index.refused().size(), index.refused().toString());
                outcomes.merge(index.refused().get(0), 1, Integer::sum);
                assertTrue(
                    !JDK_MESSAGE.matcher(index.refused().get(0)).find(),
                    "a refusal names the line or field: " + index.refused().get(0));
                assertEquals(expected, rows(index), "a refused snapshot: the ledger is folded");
              } else if (!signedAgain) {
                // taken after damage: the damage changed nothing the signature covers
                assertEquals(expected, rows(index), "the index gives the ledger's rows");
              } else if (!expectedRecordings.equals(index.recordings().toString())) {
                // a key holder's wrong snapshot is taken as signed; the audit holds it to that
                assertTrue(
                    CatalogIndex.audit(store, l.ledger(), CatalogIndexTest.TRUSTED).isPresent(),
                    "the audit names the difference");
              }
            });
      } catch (Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        failures.putIfAbsent(
            t.getClass().getName() + (st.length > 0 ? " at " + st[0] : ""),
            how
                + ": "
                + t
                + "; snapshot (hex, "
                + input.length
                + " bytes, the first 4,096) "
                + HexFormat.of().formatHex(input, 0, Math.min(4096, input.length)));
      }
    }
    // the fuzzer reaches the row parser, not only the signature check
    assertTrue(
        outcomes.keySet().stream().anyMatch(k -> k.contains(": line ")),
        outcomes.keySet().toString());
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + " kinds of failure:\n" + String.join("\n\n", failures.values()));
  }

  /**
   * Found by the fuzzer: a signed snapshot whose row has an index in another notation was refused
   * with {@code Long.parseLong}'s "For input string: \"1e3\"", naming neither line nor field.
   */
  @Test
  void aSignedSnapshotWithANonDecimalIndexIsRefusedNamingTheLine() throws IOException {
    Ledger l = ledger();
    byte[] original = bytes(l.store(), l.snapshot());
    String text = new String(original, StandardCharsets.UTF_8);
    String body = text.substring(0, text.lastIndexOf("signature\t"));
    // the first row (line 4) cites entry 1e3 instead of its own
    String[] lines = body.split("\n", -1);
    lines[3] = "1e3" + lines[3].substring(lines[3].indexOf('\t'));
    byte[] damaged = resign(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    CatalogIndex index =
        CatalogIndex.read(
            copyWith(l.store(), l.snapshot(), damaged), l.ledger(), CatalogIndexTest.TRUSTED);
    assertEquals(
        List.of(
            l.snapshot().value()
                + ": not a catalog snapshot: line 4: the entry index '1e3' is not a decimal number"
                + " of at most 19 digits"),
        index.refused());
    assertEquals(rows(CatalogIndex.read(l.store(), l.ledger())), rows(index));
  }

  /**
   * Found by the fuzzer: {@code hostile/snapshot-signature-not-base64.tsv}, a snapshot whose
   * signature line holds a '?' inside the signer's key, was refused with the decoder's "Illegal
   * base64 character 3f", not saying which line or field.
   */
  @Test
  void aSignatureLineThatIsNotBase64IsRefusedNamingTheField() throws IOException {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.SEALED)
            .time(CLOCK.instant())
            .actor("station-1")
            .subject("cam/rec-000.mp4")
            .payloadDigest("00".repeat(32))
            .build());
    byte[] planted;
    try (InputStream in =
        CatalogSnapshotFuzzTest.class.getResourceAsStream(
            "/hostile/snapshot-signature-not-base64.tsv")) {
      planted = in.readAllBytes();
    }
    try (WritableObject w = store.create(CatalogIndex.key(1))) {
      w.write(ByteBuffer.wrap(planted));
      w.commit();
    }
    CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);
    assertEquals(
        List.of(
            CatalogIndex.key(1).value()
                + ": not a catalog snapshot: the signature line's signer's key is not Base64"
                + " (Illegal base64 character 3f)"),
        index.refused());
    assertEquals(1, index.recordings().size());
  }

  static String rows(CatalogIndex i) {
    return i.recordings() + " " + i.disposed() + " " + i.disposedSeals() + " " + i.planEntries();
  }

  /** The objects of {@code from}, with {@code key}'s content replaced. */
  static InMemoryEvidenceStore copyWith(InMemoryEvidenceStore from, ObjectKey key, byte[] content)
      throws IOException {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    for (ObjectInfo o : from.list("").toList()) {
      try (WritableObject w = store.create(o.key())) {
        w.write(ByteBuffer.wrap(o.key().equals(key) ? content : bytes(from, o.key())));
        w.commit();
      }
    }
    return store;
  }
}
