package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.evidencekit.Hostile;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.RangeProof;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.SealFrontier;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.StationRegister;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the stored formats a court, a witness or an insider hands us (R-08,
 * seals, frontiers, range proofs, ledger entries, inclusion and consistency proofs,
 * checkpoints (C2SP signed note and JSON), proof bundles, station registers, and the ledger's
 * stored batches, checkpoints and tiles read back by {@link EvidenceLedger#open} and {@link
 * EvidenceLedger#openFromCheckpoint}. Besides {@link Hostile#mutate}'s byte and value damage, the
 * mutations are the JSON shapes that break parsers: nesting thousands deep, numbers of thousands of
 * digits, strings of a megabyte, duplicate keys, invalid UTF-8 and a byte-order mark. A parser
 * returns a value whose methods answer, or throws its documented {@link IOException}, never
 * anything else; a failure is reported with the input in hex. The seed is fixed.
 */
class StoredFormatFuzzTest {
  static final long SEED = 0x5EED_16F1L;
  static final int MUTANTS = 400;
  static final Duration HANG_GUARD = Duration.ofSeconds(10);
  static final HostileInputProperties.Valid VALID = HostileInputProperties.VALID;

  /**
   * A refusal that is a JDK exception's message, bare or behind the format's name only: it names
   * neither the field nor the line ("For input string", "Illegal base64 character 3f"). Behind a
   * phrase that names the field ("a signature is not base64: ...") it is a detail.
   */
  static final java.util.regex.Pattern JDK_MESSAGE =
      java.util.regex.Pattern.compile(
          "^(?:[^:]*: )?(?:For input string|Illegal base64|Index -?[0-9]+ out of bounds|Cannot"
              + " invoke|Input byte\\[\\] should|Last unit does not have|Unexpected end of)");

  @FunctionalInterface
  interface Parser {
    Object parse(byte[] b) throws Exception;
  }

  /** One JSON-shaped or byte-level mutation of {@code b}. */
  static byte[] mutate(byte[] b, Random r) {
    if (b.length == 0) {
      return Hostile.mutate(b, r);
    }
    int at = r.nextInt(b.length + 1);
    switch (r.nextInt(12)) {
      case 0:
        {
          int depth = 500 + r.nextInt(20_000);
          String open = r.nextBoolean() ? "[" : "{\"a\":";
          String close = open.equals("[") ? "]" : "}";
          return insertValue(b, r, open.repeat(depth) + "1" + close.repeat(depth));
        }
      case 1:
        {
          String digits = "9".repeat(20 + r.nextInt(20_000));
          String[] shapes = {
            digits, "-" + digits, "1e" + digits, "0." + digits, digits + "E-99999"
          };
          return insertValue(b, r, shapes[r.nextInt(shapes.length)]);
        }
      case 2:
        return insertValue(b, r, "\"" + "A".repeat(1 << (10 + r.nextInt(11))) + "\"");
      case 3:
        {
          // a duplicate of the first member
          int colon = indexOf(b, (byte) ':', 0);
          int brace = indexOf(b, (byte) '{', 0);
          int comma = colon < 0 ? -1 : indexOf(b, (byte) ',', colon);
          if (brace < 0 || comma < 0) {
            return Hostile.mutate(b, r);
          }
          byte[] member = Arrays.copyOfRange(b, brace + 1, comma + 1);
          return splice(b, comma + 1, 0, member);
        }
      case 4:
        {
          byte[][] bad = {
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}
          };
          // inside a string where there is one
          int q = indexOf(b, (byte) '"', at % b.length);
          return splice(b, q < 0 ? at : q + 1, 0, bad[r.nextInt(bad.length)]);
        }
      case 5:
        return splice(b, 0, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      case 6:
        return splice(b, at, 0, "\\u0000\\ud800\\udfff".getBytes(StandardCharsets.US_ASCII));
      default:
        return Hostile.mutate(b, r);
    }
  }

  /** Replaces the value after a random ':' or '[' or ',' (or the whole document) with {@code v}. */
  static byte[] insertValue(byte[] b, Random r, String v) {
    byte[] value = v.getBytes(StandardCharsets.US_ASCII);
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == ':' || b[i] == '[' || b[i] == ',' || b[i] == '\n' || b[i] == ' ') {
        starts.add(i + 1);
      }
    }
    if (starts.isEmpty()) {
      return value;
    }
    int s = starts.get(r.nextInt(starts.size()));
    int e = s;
    while (e < b.length && b[e] != ',' && b[e] != '}' && b[e] != ']' && b[e] != '\n') {
      e++;
    }
    return splice(b, s, e - s, value);
  }

  static int indexOf(byte[] b, byte c, int from) {
    for (int i = Math.max(0, from); i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  static void fuzz(
      String what,
      List<byte[]> valid,
      Parser parser,
      Class<? extends Throwable> allowed,
      Random r,
      Map<String, String> failures) {
    for (int i = 0; i < MUTANTS; i++) {
      byte[] b = valid.get(r.nextInt(valid.size())).clone();
      int n = 1 + r.nextInt(3);
      for (int k = 0; k < n; k++) {
        b = mutate(b, r);
      }
      check(what, b, parser, allowed, failures);
    }
  }

  /** Whether {@code parser} took the input ("accepted"), refused it ("refused"), or failed. */
  static String check(
      String what,
      byte[] input,
      Parser parser,
      Class<? extends Throwable> allowed,
      Map<String, String> failures) {
    try {
      return assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            try {
              parser.parse(input.clone());
              return "accepted";
            } catch (Throwable t) {
              if (!allowed.isInstance(t) || t.getMessage() == null) {
                throw t;
              }
              if (JDK_MESSAGE.matcher(t.getMessage()).find()) {
                throw new AssertionError("a refusal in the JDK's words: " + t.getMessage(), t);
              }
              return "refused";
            }
          },
          () -> what + " hung");
    } catch (Throwable t) {
      StackTraceElement[] st = t.getStackTrace();
      String kind = what + " " + t.getClass().getName() + (st.length > 0 ? " at " + st[0] : "");
      failures.putIfAbsent(
          kind,
          what
              + " threw "
              + t
              + (t.getCause() == null ? "" : " caused by " + t.getCause())
              + "; input ("
              + input.length
              + " bytes, the first 2,048 in hex) "
              + HexFormat.of().formatHex(input, 0, Math.min(2048, input.length)));
      return "failed";
    }
  }

  static void assertNoFailures(Map<String, String> failures) {
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + " kinds of failure:\n" + String.join("\n\n", failures.values()));
  }

  // ------------------------------------------------------------------ documents

  @Test
  void mutatedLedgerDocumentsParseOrAreRefusedWithALedgerError() {
    Random r = new Random(SEED);
    Map<String, String> failures = new LinkedHashMap<>();
    fuzz(
        "LedgerEntry.parse",
        VALID.entries(),
        b -> {
          LedgerEntry e = LedgerEntry.parse(b);
          return e.leafHash() + e.toString() + e.details() + e.payloadDigest() + e.time();
        },
        LedgerException.class,
        r,
        failures);
    fuzz(
        "InclusionProof.parse",
        VALID.inclusions(),
        b -> {
          InclusionProof p = InclusionProof.parse(b);
          return p.verifyPath() + "" + p.verify(VALID.anEntry()) + p.toJson().length + p;
        },
        LedgerException.class,
        r,
        failures);
    fuzz(
        "ConsistencyProof.parse",
        VALID.consistencies(),
        b -> {
          ConsistencyProof p = ConsistencyProof.parse(b);
          return p.verify() + "" + p.toJson().length + p;
        },
        LedgerException.class,
        r,
        failures);
    fuzz(
        "LogCheckpoint.parse",
        VALID.checkpoints(),
        b -> {
          LogCheckpoint c = LogCheckpoint.parse(b);
          return c.verify(VALID.trust())
              + ""
              + WitnessPolicy.of(1, List.of(VALID.witnessKey())).cosignatures(c)
              + c.encoded().length
              + c.toJson().length
              + c.time()
              + c;
        },
        LedgerException.class,
        r,
        failures);
    fuzz(
        "ProofBundle.parse",
        VALID.bundles(),
        b -> {
          ProofBundle p = ProofBundle.parse(b);
          return p.verify(
                  VALID.trust(),
                  Channels.newChannel(
                      new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))))
              + ""
              + p.verify(
                  VALID.trust(),
                  Optional.of(WitnessPolicy.of(1, List.of(VALID.witnessKey()))),
                  Optional.of("ledger.example/evidence"),
                  null);
        },
        IOException.class,
        r,
        failures);
    assertNoFailures(failures);
  }

  static final List<byte[]> SEALS = seals();

  static List<byte[]> seals() {
    try {
      byte[] content = new byte[Sealer.MIN_SEGMENT_SIZE * 3 + 5];
      new Random(3).nextBytes(content);
      Seal plain;
      try (SealingChannel ch =
          Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().newSealingChannel()) {
        ch.write(ByteBuffer.wrap(content));
        plain = ch.finish();
      }
      Seal described =
          plain.withMetadata(
              RecordingMetadata.builder()
                  .deviceId("DEVCAM7")
                  .officerId("police-0042")
                  .addCaseId("ZZ-2026-0001")
                  .recordingStart(Instant.parse("2026-03-01T01:00:00Z"))
                  .recordingEnd(Instant.parse("2026-03-01T01:10:00Z"))
                  .clockOffsetMillis(-1250)
                  .build());
      Seal signed = SealSigner.sign(described, HostileInputProperties.KEY, null);
      return List.of(plain.toJson(), described.toJson(), signed.toJson());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static final List<byte[]> FRONTIERS = frontiers();

  static List<byte[]> frontiers() {
    try {
      byte[] data = new byte[3 * Sealer.MIN_SEGMENT_SIZE + 5];
      new Random(2).nextBytes(data);
      SealingChannel ch =
          Sealer.builder()
              .suite(SealSuite.SHA256_SM3)
              .segmentSize(Sealer.MIN_SEGMENT_SIZE)
              .checkpointEvery(1, c -> {})
              .build()
              .newSealingChannel(Channels.newChannel(new ByteArrayOutputStream()));
      ch.write(ByteBuffer.wrap(data));
      byte[] frontier = ch.frontier().toJson();
      ch.finish();
      return List.of(frontier);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void mutatedSealsFrontiersRangeProofsAndRegistersParseOrAreRefusedWithTheirFormatError()
      throws IOException {
    Random r = new Random(SEED + 1);
    Map<String, String> failures = new LinkedHashMap<>();
    fuzz(
        "Seal.parse",
        SEALS,
        b -> {
          Seal s = Seal.parse(b);
          HashAlgorithm a = s.suite().primary();
          String out = s.digest() + "" + s.toJson().length + s.metadata() + s.computeRoot(a);
          out += s.leafHashes(a).size() + "" + s.signedPayload().length;
          if (s.segmentCount() > 0) {
            out += s.segmentRange(s.segmentCount() - 1) + "" + s.consistencyProof(a, 1);
          }
          if (s.length() > 0) {
            out += s.proveRange(new ByteRange(s.length() - 1, 1)).toJson().length;
          }
          return out + s;
        },
        SealFormatException.class,
        r,
        failures);
    fuzz(
        "SealFrontier.parse",
        FRONTIERS,
        b -> {
          SealFrontier f = SealFrontier.parse(b);
          return f.toJson().length
              + ""
              + f.length()
              + Sealer.builder()
                  .suite(f.suite())
                  .segmentSize(f.segmentSize())
                  .build()
                  .resume(f, Channels.newChannel(new ByteArrayOutputStream()))
                  .finish();
        },
        SealFormatException.class,
        r,
        failures);
    Seal sealed = Seal.parse(SEALS.get(0));
    fuzz(
        "RangeProof.parse",
        List.of(
            sealed.proveRange(new ByteRange(3, Sealer.MIN_SEGMENT_SIZE)).toJson(),
            sealed.proveRange(new ByteRange(0, sealed.length())).toJson()),
        b -> {
          RangeProof p = RangeProof.parse(b);
          String out = p.toJson().length + "" + p.coveredRange() + p.range();
          for (int i = 0; i < p.segmentCount(); i++) {
            out += p.inclusionProof(i);
          }
          return out;
        },
        SealFormatException.class,
        r,
        failures);
    String keyId =
        SealSigner.sign(Seal.parse(SEALS.get(1)), HostileInputProperties.KEY, null)
            .signature()
            .map(x -> x.keyId())
            .orElseThrow();
    byte[] register =
        ("{\"format\":\"evidencekit.station-register/1\",\"stations\":["
                + "{\"name\":\"district-3/ingest-7\",\"keyId\":\""
                + keyId
                + "\",\"devices\":[\"DEVCAM7\",\"D3-*\"],"
                + "\"from\":\"2026-01-01T00:00:00Z\",\"until\":\"2027-01-01T00:00:00Z\"},"
                + "{\"name\":\"district-5/ingest-2\",\"subject\":\"CN=ingest-2,OU=District 5,"
                + "O=Bureau 7\",\"devices\":[\"D5-*\",\"*\"]}]}")
            .getBytes(StandardCharsets.UTF_8);
    fuzz(
        "StationRegister.parse",
        List.of(register),
        StationRegister::parse,
        KeyFormatException.class,
        r,
        failures);
    assertNoFailures(failures);
  }

  // ------------------------------------------------------------------ stored batches

  /** The objects of a ledger of several batches, with a checkpoint and its tiles. */
  static final Map<ObjectKey, byte[]> LEDGER_OBJECTS = ledgerObjects();

  static Map<ObjectKey, byte[]> ledgerObjects() {
    try {
      InMemoryEvidenceStore store = new InMemoryEvidenceStore(HostileInputProperties.CLOCK);
      EvidenceLedger l = EvidenceLedger.open(store, HostileInputProperties.CLOCK);
      for (int i = 0; i < 300; i++) {
        List<LedgerEntry> batch = new ArrayList<>();
        int n = i < 290 ? 1 : 1 + i % 3;
        for (int k = 0; k < n; k++) {
          batch.add(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i))
                  .actor("officer-" + i % 7)
                  .subject("cam/rec-" + i + ".mp4")
                  .details(Map.of("reason", "review " + i))
                  .build());
        }
        l.appendAll(batch);
        if (i == 280) {
          l.checkpoint(HostileInputProperties.KEY);
        }
      }
      Map<ObjectKey, byte[]> out = new LinkedHashMap<>();
      for (ObjectInfo o : store.list("").toList()) {
        try (SeekableByteChannel ch = store.openRead(o.key());
            InputStream in = Channels.newInputStream(ch)) {
          out.put(o.key(), in.readAllBytes());
        }
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLedgerWithAMutatedStoredObjectOpensWithFindingsOrIsRefusedWithALedgerError() {
    Random r = new Random(SEED + 2);
    Map<String, String> failures = new LinkedHashMap<>();
    List<ObjectKey> keys = new ArrayList<>(LEDGER_OBJECTS.keySet());
    assertTrue(
        keys.stream().anyMatch(k -> k.toString().startsWith("ledger/batches/"))
            && keys.stream().anyMatch(k -> k.toString().startsWith("ledger/tiles/"))
            && keys.stream().anyMatch(k -> k.toString().startsWith("ledger/checkpoints/")),
        "batches, tiles and a checkpoint are stored: " + keys);
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    int runs = Math.max(1, MUTANTS / 4);
    for (int i = 0; i < runs; i++) {
      // batches are the most common and the least trusted; tiles and checkpoints come from them
      ObjectKey target = keys.get(r.nextInt(keys.size()));
      if (r.nextBoolean()) {
        List<ObjectKey> batches =
            keys.stream().filter(k -> k.toString().startsWith("ledger/batches/")).toList();
        target = batches.get(r.nextInt(batches.size()));
      }
      byte[] b = LEDGER_OBJECTS.get(target).clone();
      int n = 1 + r.nextInt(2);
      for (int k = 0; k < n; k++) {
        b = mutate(b, r);
      }
      ObjectKey damaged = target;
      outcomes.merge(
          check(
              "ledger open with " + damaged + " mutated",
              b,
              input -> {
                InMemoryEvidenceStore store = storeWith(damaged, input);
                EvidenceLedger full = EvidenceLedger.open(store, HostileInputProperties.CLOCK);
                String s = full.size() + "" + full.openFindings() + full.verify(VALID.trust());
                EvidenceLedger fast =
                    EvidenceLedger.openFromCheckpoint(store, HostileInputProperties.CLOCK);
                return s + fast.size() + fast.openFindings() + fast.proveInclusion(0, fast.size());
              },
              IOException.class,
              failures),
          1,
          Integer::sum);
    }
    // damage that opening refuses, and damage it reports and reads past, are both reached
    assertTrue(
        outcomes.getOrDefault("accepted", 0) > 0 && outcomes.getOrDefault("refused", 0) > 0,
        outcomes.toString());
    assertNoFailures(failures);
  }

  static InMemoryEvidenceStore storeWith(ObjectKey damaged, byte[] content) throws IOException {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(HostileInputProperties.CLOCK);
    for (Map.Entry<ObjectKey, byte[]> e : LEDGER_OBJECTS.entrySet()) {
      try (WritableObject w = store.create(e.getKey())) {
        w.write(ByteBuffer.wrap(e.getKey().equals(damaged) ? content : e.getValue()));
        w.commit();
      }
    }
    return store;
  }
}
