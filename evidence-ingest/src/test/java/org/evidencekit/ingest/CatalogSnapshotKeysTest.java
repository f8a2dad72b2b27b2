package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recording key the ledger admits as a subject survives a catalog snapshot: written
 * and read back, the snapshot is used (not refused) and gives the catalog the ledger gives. A key
 * with a line break once ended its row, so the snapshot was refused and every reader fell back to
 * the whole ledger. Snapshots of earlier formats are refused (the ledger is read instead).
 */
class CatalogSnapshotKeysTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /**
   * Pieces of hostile keys: every control character (C0, DEL, C1), the row separator, line breaks,
   * backslashes and the escapes' own spelling, non-BMP code points, Unicode line separators, a BOM,
   * and text that looks like the snapshot's own lines.
   */
  @Provide
  Arbitrary<List<String>> keys() {
    List<String> pieces = new ArrayList<>();
    for (char c = 0; c < 0x20; c++) {
      pieces.add(String.valueOf(c));
    }
    pieces.add("\u007f");
    pieces.add("\u0085");
    pieces.add("\u009f");
    pieces.addAll(
        List.of(
            "\\",
            "\\\\",
            "\\t",
            "\\n",
            "\\r",
            "\\u0041",
            "\t",
            "\n",
            "\r\n",
            "/",
            "a",
            "K",
            "7",
            " ",
            "é",
            "\u00a0",
            "\u2028",
            "\u2029",
            "\ufeff",
            "\uffff",
            "\ud83d\ude00",
            "\udbff\udfff",
            "end\t",
            "end\t0\n",
            "ledger-size\t",
            "0\t" + "ab".repeat(32) + "\t"));
    Arbitrary<String> key =
        Arbitraries.of(pieces)
            .list()
            .ofMinSize(1)
            .ofMaxSize(12)
            .map(l -> String.join("", l))
            .filter(s -> !s.isBlank());
    return key.list().ofMinSize(1).ofMaxSize(8).uniqueElements();
  }

  @Property(tries = 40)
  void everyAdmissibleKeyRoundTripsThroughASnapshot(
      @ForAll("keys") List<String> keys, @ForAll long seed) throws IOException {
    Path root = Files.createTempDirectory("catalog-keys");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        batch.add(sealed(keys.get(i), digest(i)));
      }
      ledger.appendAll(batch);
      assertRoundTrips(store, ledger, seed);
    } finally {
      delete(root);
    }
  }

  /**
   * The nastiest keys {@link ObjectKey} admits (no control character or backslash, but non-BMP code
   * points, Unicode line separators, a BOM, NBSP, a noncharacter), next to the nastiest the ledger
   * admits, and the longest key the ledger admits made of line breaks (after one letter: a subject
   * is not blank): its escaped row still fits {@link CatalogIndex#MAX_LINE_BYTES}.
   */
  @Test
  void theNastiestKeysAndTheLongestEscapedOneRoundTrip() throws IOException {
    List<String> objectKeys =
        List.of(
            "cam/\ud83d\ude00\u2028\u2029/\ufeff\u00a0\uffff.mp4",
            "end/0/\udbff\udfff \u0085-not/a-control",
            "cam/" + "\ud83d\ude00".repeat(50) + "/x");
    for (String k : objectKeys) {
      if (!ObjectKey.isValid(k)) {
        // only the C1 control U+0085 is refused: keep the others' point by dropping it
        assertTrue(k.contains("\u0085"), k);
      }
    }
    List<String> keys = new ArrayList<>();
    for (String k : objectKeys) {
      keys.add(ObjectKey.isValid(k) ? k : k.replace("\u0085", ""));
    }
    keys.forEach(k -> assertTrue(ObjectKey.isValid(k), k));
    keys.add("a\nb\tc\\d\re\u0000f\u001f");
    keys.add("\\n");
    keys.add("\n\u0000");
    keys.add(longestLineBreaks());
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        batch.add(sealed(keys.get(i), digest(i)));
      }
      ledger.appendAll(batch);
      assertRoundTrips(store, ledger, 1);
    }
  }

  /**
   * A snapshot of an earlier format (here the first, {@code evidencekit-catalog 1}, keys raw) does
   * not say which recordings were disposed of before it, whose seals stay in the store: it is
   * refused and the ledger read, once; the next snapshot written is of the current format.
   */
  @Test
  void aSnapshotOfAnEarlierFormatIsRefusedAndTheLedgerReadOnce() throws IOException {
    List<String> keys = List.of("cam/a\\nb.mp4", "cam/tab\there", "cam/\ud83d\ude00\u2028.mp4");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        batch.add(sealed(keys.get(i), digest(i)));
      }
      ledger.appendAll(batch);
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);
      StringBuilder old = new StringBuilder("evidencekit-catalog 1\n");
      old.append("ledger-size\t3\n").append("ledger-root\t").append(ledger.root(3).hex());
      old.append('\n');
      truth.forEach(
          (k, r) ->
              old.append(r.index())
                  .append('\t')
                  .append(r.sealDigest())
                  .append('\t')
                  .append(k)
                  .append('\n'));
      old.append("end\t3\n");
      try (WritableObject w = store.create(CatalogIndex.key(3))) {
        w.write(ByteBuffer.wrap(old.toString().getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }

      CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);

      // it cannot say which recordings were disposed of before it: the ledger decides, once
      assertEquals(1, index.refused().size(), index.refused().toString());
      assertTrue(
          index.refused().get(0).contains("does not record which recordings were disposed of"),
          index.refused().get(0));
      assertEquals(OptionalLong.empty(), index.snapshot());
      assertEquals(3, index.entriesRead());
      assertEquals(truth, index.recordings());
      assertEquals(Set.copyOf(keys), index.recordings().keySet());
      ledger.append(sealed("cam/later", digest(9)));
      assertEquals(
          OptionalLong.of(4), CatalogIndex.write(store, ledger, 1, CatalogIndexTest.LEDGER_KEY));
      CatalogIndex next = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);
      assertEquals(OptionalLong.of(4), next.snapshot(), "the current format is written and used");
      assertEquals(List.of(), next.refused());
    }
  }

  /** A backslash that escapes nothing, or a tab inside a key, makes a current snapshot unusable. */
  @Test
  void aCurrentSnapshotWithABrokenEscapeIsRefused() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      ledger.appendAll(List.of(sealed("cam/a", digest(0)), sealed("cam/b", digest(1))));
      String root = ledger.root(2).hex();
      String head = "evidencekit-catalog 6\nledger-size\t2\nledger-root\t" + root + "\n";
      String good = "0\t" + digest(0) + "\tcam/a\n";
      plant(store, 1, head.replace("\t2\n", "\t1\n").replace(root, ledger.root(1).hex()) + good);
      plant(store, 2, signed(head + good + "1\t" + digest(1) + "\tcam/\\b\nend\t2\t0\t0\n"));
      // a tab inside the key field: the first format took it as part of the key
      ledger.append(sealed("cam/c", digest(2)));
      String root3 = ledger.root(3).hex();
      plant(
          store,
          3,
          signed(
              "evidencekit-catalog 6\nledger-size\t3\nledger-root\t"
                  + root3
                  + "\n"
                  + good
                  + "1\t"
                  + digest(1)
                  + "\tcam/b\n2\t"
                  + digest(2)
                  + "\tcam/\tc\nend\t3\t0\t0\n"));

      CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);

      assertEquals(fullRead(ledger), index.recordings(), "the ledger decides");
      List<String> refused = index.refused();
      assertEquals(3, refused.size(), refused.toString());
      assertTrue(refused.get(0).contains("line 6 has not three fields"), refused.get(0));
      assertTrue(refused.get(1).contains("line 5: a key with a backslash"), refused.get(1));
      // with no end line it has no signature line either: refused before any row is parsed
      assertTrue(refused.get(2).contains("no signature line"), refused.get(2));
    }
  }

  private static void assertRoundTrips(EvidenceStore store, EvidenceLedger ledger, long seed)
      throws IOException {
    long size = ledger.size();
    assertEquals(
        OptionalLong.of(size), CatalogIndex.write(store, ledger, 1, CatalogIndexTest.LEDGER_KEY));
    CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);
    assertEquals(List.of(), index.refused(), "the snapshot is used, not refused");
    assertEquals(OptionalLong.of(size), index.snapshot());
    assertEquals(0, index.entriesRead(), "nothing read after the snapshot");
    assertEquals(fullRead(ledger), index.recordings());
  }

  /** The longest subject of line breaks a ledger entry admits, found by asking the ledger. */
  private static String longestLineBreaks() throws IOException {
    int lo = 1;
    int hi = EvidenceLedger.MAX_ENTRY_BYTES;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (fits("k" + "\n".repeat(mid))) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return "k" + "\n".repeat(lo);
  }

  private static boolean fits(String subject) {
    try {
      return sealed(subject, digest(0)).canonical().length <= EvidenceLedger.MAX_ENTRY_BYTES;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code body} with the signature line the ledger key would write: a broken snapshot its holder
   * signed, which only the parse of its rows refuses.
   */
  private static String signed(String body) throws IOException {
    byte[] sha;
    try {
      sha =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(body.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] signature =
        CatalogIndexTest.LEDGER_KEY.sign(
            ("evidencekit-catalog 6 signature\n" + java.util.HexFormat.of().formatHex(sha))
                .getBytes(StandardCharsets.UTF_8));
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    return body
        + "signature\t"
        + b64.encodeToString(CatalogIndexTest.LEDGER_KEY.publicKeyDer())
        + "\t"
        + b64.encodeToString(signature)
        + "\n";
  }

  private static void plant(EvidenceStore store, long size, String text) throws IOException {
    try (WritableObject w = store.create(CatalogIndex.key(size))) {
      w.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      w.commit();
    }
  }

  /**
   * Disposed recordings, whose seals stay in the store, are in the snapshot too, by the object the
   * disposal removed (a recording's id need not be its key), and leave it when sealed again.
   */
  @Test
  void disposedRecordingsSurviveASnapshotByTheObjectTheyRemoved() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      ledger.appendAll(
          List.of(
              sealed("cam/a", digest(0)),
              sealed("cam/b\tc", digest(1)),
              sealed("cam/c", digest(2))));
      ledger.append(disposed("recording-b", "cam/b\tc")); // entry 3
      ledger.append(disposed("cam/c", "cam/c")); // entry 4
      ledger.append(sealed("cam/c", digest(5))); // entry 5: sealed again, live again
      assertEquals(
          OptionalLong.of(6), CatalogIndex.write(store, ledger, 1, CatalogIndexTest.LEDGER_KEY));
      CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);
      assertEquals(List.of(), index.refused());
      assertEquals(OptionalLong.of(6), index.snapshot());
      assertEquals(Set.of("cam/a", "cam/c"), index.recordings().keySet());
      assertEquals(java.util.Map.of("cam/b\tc", 3L), index.disposed());
      // with the sealed entry it had, so that its seal kept for good is held to the digest logged
      assertEquals(
          java.util.Map.of("cam/b\tc", new CatalogIndex.Row(1, digest(1))), index.disposedSeals());
      assertEquals(
          java.util.Optional.empty(), CatalogIndex.audit(store, ledger, CatalogIndexTest.TRUSTED));
    }
  }

  private static LedgerEntry disposed(String recordingId, String objectKey) {
    return LedgerEntry.builder()
        .type(EntryType.DISPOSED)
        .time(CLOCK.instant())
        .actor("ro-4")
        .subject(recordingId)
        .details(java.util.Map.of("plan", "p", "objectKey", objectKey))
        .build();
  }

  private static LedgerEntry sealed(String key, String digest) {
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(CLOCK.instant())
        .actor("station-1")
        .subject(key)
        .payloadDigest(digest)
        .build();
  }

  private static String digest(long n) {
    return String.format("%064x", n);
  }

  /** The naive model: every entry of the ledger folded in order. */
  private static SortedMap<String, CatalogIndex.Row> fullRead(EvidenceLedger ledger)
      throws IOException {
    SortedMap<String, CatalogIndex.Row> out = new TreeMap<>();
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      LedgerEntry e = all.get(i);
      if (e.type().equals(EntryType.SEALED)) {
        out.put(e.subject(), new CatalogIndex.Row(i, e.payloadDigest().orElseThrow()));
      } else if (e.type().equals(EntryType.DISPOSED)) {
        out.remove(e.details().getOrDefault("objectKey", e.subject()));
      }
    }
    return out;
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        p.toFile().setWritable(true);
        p.toFile().delete();
      }
    }
  }
}
