package org.evidencekit.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;

/** Test fixtures (real ffmpeg files copied from shared/fixtures) and archive inspection. */
final class Fixtures {
  private Fixtures() {}

  static final String[] SPLIT3 = {
    "DEVCAM7_20230601_141000_001.mp4",
    "DEVCAM7_20230601_141003_002.mp4",
    "DEVCAM7_20230601_141006_003.mp4"
  };

  /** Copies fixture folder {@code name} (e.g. f02_split3) into {@code dir}. */
  static Path folder(String name, Path dir) throws IOException {
    Path out = Files.createDirectories(dir.resolve(name));
    String[] files =
        name.equals("f02_split3")
            ? SPLIT3
            : new String[] {"DEVCAM7_20230601_142000_001.mp4", "DEVCAM7_20230601_142006_003.mp4"};
    for (String f : files) {
      copy("fixtures/" + name + "/" + f, out.resolve(f));
    }
    return out;
  }

  static Path copy(String resource, Path to) throws IOException {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no test resource " + resource);
      }
      Files.createDirectories(to.getParent());
      Files.copy(in, to);
    }
    return to;
  }

  /** Every {@code sealed} entry, in log order. */
  static List<LedgerEntry> sealedEntries(EvidenceStore store) throws IOException {
    List<LedgerEntry> out = new ArrayList<>();
    for (LedgerEntry e : EvidenceLedger.open(store, java.time.Clock.systemUTC()).entries()) {
      if (e.type().equals(EntryType.SEALED)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The seals stored at KEY.seal.json, for every key. */
  static List<Seal> storedSeals(EvidenceStore store) throws IOException {
    List<Seal> out = new ArrayList<>();
    List<ObjectKey> keys;
    try (Stream<ObjectInfo> s = store.list("")) {
      keys =
          s.map(ObjectInfo::key)
              .filter(k -> !k.value().startsWith("ledger/"))
              .filter(k -> k.value().endsWith(EvidenceArchive.SEAL_SUFFIX))
              .toList();
    }
    for (ObjectKey k : keys) {
      try (var ch = store.openRead(k);
          var in = java.nio.channels.Channels.newInputStream(ch)) {
        out.add(Seal.parse(in.readAllBytes()));
      }
    }
    return out;
  }

  /** Every object key in the store. */
  static List<String> keys(EvidenceStore store) throws IOException {
    try (Stream<ObjectInfo> s = store.list("")) {
      return s.map(i -> i.key().value()).toList();
    }
  }

  /**
   * A store builder for a new bucket with Object Lock on the real S3 server the tests run against
   * (Ceph RGW, started by .ci/run); the test is skipped without {@code S3_ENDPOINT}.
   */
  static org.evidencekit.storage.s3.S3EvidenceStore.Builder lockedS3Bucket(String name)
      throws IOException {
    String endpoint = System.getenv("S3_ENDPOINT");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(), "S3_ENDPOINT is not set: skipped");
    String bucket = name + "-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    org.evidencekit.storage.s3.S3EvidenceStore.Builder b =
        org.evidencekit.storage.s3.S3EvidenceStore.builder()
            .bucket(bucket)
            .endpoint(java.net.URI.create(endpoint))
            .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
    try (var client = b.buildClient()) {
      org.evidencekit.storage.s3.S3EvidenceStore.createLockedBucket(client, bucket);
    }
    return b;
  }

  /**
   * A named person accepts the clock's jump to {@code to}, as {@code --accept-clock-jump-by} does:
   * the ledger takes no entry more than 31 days after its latest without it, and set-ups
   * that let years pass between two entries log it first.
   */
  static void acceptClockJump(EvidenceStore store, java.time.Instant to, Path mark)
      throws Exception {
    java.time.Clock at = java.time.Clock.fixed(to, java.time.ZoneOffset.UTC);
    org.evidencekit.retention.HighWaterMarkClock.anchored(
            at,
            org.evidencekit.ledger.EvidenceLedger.open(store, at),
            mark,
            java.time.Duration.ofDays(31))
        .acceptJump("records-officer", "years passed between the test's entries");
  }
}
