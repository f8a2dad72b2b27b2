package org.evidencekit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.evidencekit.continuity.ActionCoverage;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.DeviceSession;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerFindingCode;
import org.evidencekit.ledger.LedgerReport;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.ProofBundle;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.merkle.MerkleTree;
import org.evidencekit.report.ArchiveCatalog;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Presentation;
import org.evidencekit.report.RecordSheet;
import org.evidencekit.report.Selection;
import org.evidencekit.report.SupervisorReport;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionEngine;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.RetentionPushDown;
import org.evidencekit.retention.RetentionStatus;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Checkpoint;
import org.evidencekit.seal.GeoPosition;
import org.evidencekit.seal.RangeProof;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFindingCode;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.evidencekit.video.TrackTimeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Show the whole job on a body-camera session in seconds, offline: seal real H.264 files"
          + " and a long recording, then tamper with them and watch every change get located."
    },
    footer = {"", "Example:", "  evidence demo --dir /tmp/evidence-demo"})
final class DemoCommand implements Callable<Integer> {
  static final String[] CAMERA_FILES = {
    "DEVCAM7_20230601_141000_001.mp4",
    "DEVCAM7_20230601_141003_002.mp4",
    "DEVCAM7_20230601_141006_003.mp4"
  };
  static final long LONG_LENGTH = 64L << 20;
  private static final String MARKER = ".evidence-demo";

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "evidence-demo",
      description = "Working folder, created or reused (default: ./${DEFAULT-VALUE}).")
  Path dir;

  private PrintWriter out;
  private int step;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    prepare();
    try {
      return run();
    } finally {
      writeManifest(); // also after a failure: the next run may clear what this one wrote
    }
  }

  private int run() throws Exception {
    Verifier verifier = Verifier.create();
    Sealer sealer =
        Sealer.builder().suite(SealSuite.SHA256_SM3).segmentSize(Sealer.MIN_SEGMENT_SIZE).build();

    heading("A body-camera session arrives at the ingest station");
    List<Path> camera = new ArrayList<>();
    for (String name : CAMERA_FILES) {
      Path p = dir.resolve(name);
      try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
        Files.copy(in, p);
      }
      camera.add(p);
      line(
          "%-34s %9s  real H.264/AAC MP4 from camera DEVCAM7", name, Cli.humanBytes(Files.size(p)));
    }
    Path longRec = dir.resolve("DEVCAM7_20230601_150000_004.bin");
    writePseudoRandom(longRec, LONG_LENGTH);
    line(
        "%-34s %9s  stand-in for an hour-long recording (deterministic bytes)",
        longRec.getFileName(), Cli.humanBytes(LONG_LENGTH));

    heading(
        "Seal every file (SHA-256 and SM3 trees in one pass), bind the recording's facts and sign"
            + " with the station's SM2 key (R-03, R-05, R-06, R-14)");
    // A fixed demo key (public on purpose), so the demo prints the same on every run.
    Path demoKey = dir.resolve("demo-station.pem");
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/demo-station.pem")) {
      Files.copy(in, demoKey);
    }
    SigningKeys.LocalSigningKey stationKey = SigningKeys.readPem(demoKey, null);
    Files.writeString(dir.resolve("station.pub.pem"), stationKey.publicKeyPem());
    line(
        "station key %s (sm2-sm3, the demo's public key: never for real evidence), public key"
            + " in station.pub.pem",
        stationKey.keyId());
    List<Path> all = new ArrayList<>(camera);
    all.add(longRec);
    List<Seal> seals = new ArrayList<>();
    Seal previous = null;
    for (int i = 0; i < all.size(); i++) {
      Path p = all.get(i);
      Sealer s = p.equals(longRec) ? Sealer.builder().suite(SealSuite.SHA256_SM3).build() : sealer;
      long t0 = System.nanoTime();
      Seal seal = s.seal(p);
      double ms = (System.nanoTime() - t0) / 1e6;
      RecordingMetadata.Builder md =
          RecordingMetadata.builder()
              .deviceId("DEVCAM7")
              .officerId("police-0042")
              .recordingStart(RECORDING_STARTS[i])
              .recordingEnd(RECORDING_STARTS[i].plusSeconds(i < 3 ? 3 : 3600))
              .mediaType(i < 3 ? "video/mp4" : "application/octet-stream")
              .originalFileName(p.getFileName().toString())
              .ingestTime(DOCKED)
              .addPosition(GeoPosition.of("34.810000", "117.320000", RECORDING_STARTS[i]));
      if (i < 2) {
        md.addCaseId("ZZ-2023-0042");
      }
      if (previous != null) {
        md.previousSealDigest(previous.digest().hex());
      }
      seal = SealSigner.sign(seal.withMetadata(md.build()), stationKey, null);
      previous = seal;
      Files.write(p.resolveSibling(p.getFileName() + ".seal.json"), seal.toJson());
      seals.add(seal);
      line(
          "%-34s sha256 %s...  sm3 %s...  %4d segment(s)  (%.0f ms)",
          p.getFileName(),
          seal.root(HashAlgorithm.SHA256).hex().substring(0, 16),
          seal.root(HashAlgorithm.SM3).hex().substring(0, 16),
          seal.segmentCount(),
          ms);
    }
    Verifier trusting =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(TrustAnchors.ofPublicKeys(List.of(stationKey.publicKeyDer())))
                    .build())
            .build();

    heading("Verify everything as stored, trusting only the station key: all INTACT, all signed");
    for (int i = 0; i < all.size(); i++) {
      VerificationReport r = trusting.verify(all.get(i), Seal.read(sealOf(all.get(i))));
      line(
          "%-34s %s  %s",
          all.get(i).getFileName(),
          r.verdict(),
          r.has(FindingCode.SIGNATURE_VERIFIED) ? "signature verified" : "NOT SIGNED");
      expect(r.isIntact() && r.has(FindingCode.SIGNATURE_VERIFIED), "signed file verifies");
    }

    heading("Someone rewrites the officer in a stored seal (the video is untouched)");
    Path seal1 = sealOf(camera.get(0));
    Files.writeString(seal1, Files.readString(seal1).replace("police-0042", "police-0099"));
    VerificationReport forged = trusting.verify(camera.get(0), Seal.read(seal1));
    report(camera.get(0), forged);
    expect(
        forged.verdict() == org.evidencekit.verify.Verdict.INCONCLUSIVE
            && forged.has(FindingCode.SIGNATURE_INVALID),
        "metadata edit caught by the signature");
    Files.write(seal1, seals.get(0).toJson());

    heading("Store the camera files and keep them as long as Art. 19 says (R-14, R-16)");
    retention(camera, seals);

    heading(
        "Every ingest, view and export goes into the ledger; anyone can prove it only grew"
            + " (R-07, R-17, R-19, R-20)");
    ledger(camera, seals, stationKey);

    heading(
        "Read every camera file's timeline from its index (R-02, R-13), and a file someone cut"
            + " before it reached the station");
    Path cut = dir.resolve("DEVCAM7_20230601_143000_001.mp4");
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + cut.getFileName())) {
      Files.copy(in, cut);
    }
    MediaProbe probe = MediaProbe.create();
    for (Path p : camera) {
      RecordingTimeline t = probe.probe(p);
      TrackTimeline v = t.track("vide").orElseThrow();
      line(
          "%-34s %d frames, %.1f s, created %s, no gap",
          p.getFileName(), v.sampleCount(), t.durationSeconds(), t.creationTime().orElseThrow());
      expect(v.gaps().isEmpty(), "clean camera file");
    }
    RecordingTimeline cutTimeline = probe.probe(cut);
    for (MediaFinding f : cutTimeline.findings()) {
      if (f.code().equals(MediaFindingCode.TIMESTAMP_GAP)) {
        line("%-34s %s %s", cut.getFileName(), f.code(), f.message());
      }
    }
    line("(a seal made at ingest cannot see this cut: it happened before; the container can)");
    expect(cutTimeline.has(MediaFindingCode.TIMESTAMP_GAP), "pre-ingest cut found");

    heading(
        "Someone deletes file 002 of the session; the inspection it belonged to was mandatory"
            + " (R-10, R-13, R-14, R-18)");
    continuity(camera);

    heading("Someone flips one byte in file 002 (offset 12345)");
    flipByte(camera.get(1), 12345);
    VerificationReport r2 = trusting.verify(camera.get(1), seals.get(1));
    report(camera.get(1), r2);
    expect(
        r2.tamperedRanges().equals(List.of(new ByteRange(0, Files.size(camera.get(1))))),
        "flip located");

    heading("Someone edits one byte deep inside the long recording (offset 40,000,000)");
    flipByte(longRec, 40_000_000);
    VerificationReport r3 = trusting.verify(longRec, seals.get(3));
    report(longRec, r3);
    ByteRange hit = r3.tamperedRanges().get(0);
    line(
        "-> located to %s of %s; the other %s are proven untouched",
        Cli.humanBytes(hit.length()),
        Cli.humanBytes(LONG_LENGTH),
        Cli.humanBytes(LONG_LENGTH - hit.length()));
    expect(hit.equals(new ByteRange(39_845_888, 1 << 20)), "edit located to its segment");

    heading("A supervisor proves one clip of it alone (RFC 9162 inclusion proofs)");
    ByteRange clip = new ByteRange(10L << 20, 4096);
    RangeProof proof = seals.get(3).proveRange(clip);
    Path proofFile = dir.resolve("clip.proof.json");
    Files.write(proofFile, proof.toJson());
    ByteRange covered = proof.coveredRange();
    byte[] segmentBytes = readRange(longRec, covered);
    VerificationReport rp =
        verifier.verifyRangeProof(
            Channels.newChannel(new java.io.ByteArrayInputStream(segmentBytes)),
            RangeProof.parse(Files.readAllBytes(proofFile)),
            seals.get(3).root(HashAlgorithm.SHA256));
    line(
        "bytes %s proven with %s of content, a %d-byte proof and the root: %s",
        clip, Cli.humanBytes(segmentBytes.length), Files.size(proofFile), rp.verdict());
    try (SeekableByteChannel ch = Files.newByteChannel(longRec)) {
      VerificationReport around =
          verifier.verifyRange(ch, seals.get(3), new ByteRange(39_900_000, 100));
      line("bytes [39900000, 39900100) of the edited file: %s", around.verdict());
    }
    expect(rp.isIntact(), "range proof");

    heading("Someone cuts the end off file 003");
    try (FileChannel ch = FileChannel.open(camera.get(2), StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(camera.get(2)) - 5000);
    }
    VerificationReport r4 = trusting.verify(camera.get(2), seals.get(2));
    report(camera.get(2), r4);
    expect(r4.has(org.evidencekit.verify.FindingCode.CONTENT_TRUNCATED), "cut found");

    heading("A live upload is cut off at 20 MiB; checkpoints every 4 MiB were published (R-06)");
    List<Checkpoint> published = new ArrayList<>();
    Sealer live =
        Sealer.builder().suite(SealSuite.SHA256).checkpointEvery(4, published::add).build();
    Seal partial;
    try (SealingChannel ch = live.newSealingChannel();
        FileChannel src = FileChannel.open(dir.resolve("DEVCAM7_20230601_150000_004.bin"))) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < 20; i++) {
        buf.clear();
        src.read(buf);
        buf.flip();
        ch.write(buf);
      }
      partial = ch.finish();
    }
    Checkpoint last = published.get(published.size() - 1);
    boolean consistent =
        MerkleTree.verifyConsistency(
            HashAlgorithm.SHA256,
            last.segments(),
            partial.segmentCount(),
            last.root(HashAlgorithm.SHA256),
            partial.root(HashAlgorithm.SHA256),
            partial.consistencyProof(HashAlgorithm.SHA256, last.segments()));
    line(
        "%d checkpoints published; the seal of the %s that arrived is consistent with the last: %s",
        published.size(), Cli.humanBytes(partial.length()), consistent);
    expect(consistent, "checkpoint consistency");

    heading(
        "A supervisor's report of the stored session: timeline, findings, verification, retention"
            + " and the ledger state (Art. 18, Art. 20)");
    report(trusting);

    heading("Summary");
    line(
        "sealed and signed %d files, detected 9 of 9 problems (a cut before ingest, a deleted"
            + " file seen by continuity and by the device chain, an unrecorded stretch of a"
            + " mandatory inspection, a late ingest, a forged seal, an insider's edit of a stored"
            + " copy and three manipulated files), proved 1 clip alone, exported 1 file with an"
            + " offline proof bundle, stored the session under retention and in the ledger.",
        all.size());
    line("Files, seals, the proof and the store are in %s.", dir.toAbsolutePath());
    line("Open %s in a browser for the report.", dir.resolve("report.html").toAbsolutePath());
    return EvidenceCommand.OK;
  }

  /**
   * When the camera docked at the station in this story: two days after the session, so the late
   * ingest (Art. 17) is one of the problems shown, and every page says the same 43 hours.
   */
  static final Instant DOCKED = Instant.parse("2023-06-03T09:00:00Z");

  static final Instant[] RECORDING_STARTS = {
    Instant.parse("2023-06-01T14:10:00Z"),
    Instant.parse("2023-06-01T14:10:03Z"),
    Instant.parse("2023-06-01T14:10:06Z"),
    Instant.parse("2023-06-01T15:00:00Z")
  };

  private static Path sealOf(Path p) {
    return p.resolveSibling(p.getFileName() + ".seal.json");
  }

  private void retention(List<Path> camera, List<Seal> seals) throws Exception {
    Instant now = Instant.now();
    List<RetentionFacts.Recording> recs = new ArrayList<>();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      EvidenceArchive archive = EvidenceArchive.open(store, Clock.systemUTC());
      for (int i = 0; i < camera.size(); i++) {
        Path p = camera.get(i);
        String key = "DEVCAM7/2023-06-01/" + p.getFileName();
        archive.ingest(key, p, seals.get(i), "ingest-station-1");
        RetentionFacts.Recording.Builder r =
            RetentionFacts.Recording.builder(p.getFileName().toString())
                .recordingEnd(RECORDING_STARTS[i].plusSeconds(3))
                .mediaType("video/mp4")
                .objectKey(key)
                .sealRoot(seals.get(i).root(HashAlgorithm.SHA256).hex());
        if (i < 2) {
          r.addCaseId("ZZ-2023-0042");
        }
        recs.add(r.build());
      }
      RetentionFacts facts =
          RetentionFacts.of(
              recs,
              List.of(
                  new RetentionFacts.Case(
                      "ZZ-2023-0042", "10y", Instant.parse("2024-01-15T02:00:00Z"))));
      RetentionPolicy policy = RetentionPolicy.regulationDefault();
      List<RetentionDecision> ds =
          RetentionEngine.decideAll(policy, facts, RetentionHistory.empty(), now);
      RetentionPushDown.apply(store, facts, ds);
      for (RetentionDecision d : ds) {
        line(
            "%-34s %-10s %s",
            d.recordingId(),
            d.status(),
            d.retainUntil()
                .map(
                    u -> "retention ends " + RetentionCommand.local(u, policy.zone()) + " Shanghai")
                .orElse(""));
      }
      line("(001 and 002 belong to case ZZ-2023-0042, archived 2024-01-15: its 10-year file term;");
      line(" 003 only had the 2-year minimum. Nothing is deleted without a plan and an approval.)");
      try {
        store.delete(ObjectKey.of("DEVCAM7/2023-06-01/" + camera.get(0).getFileName()));
        expect(false, "the store refuses early deletion");
      } catch (org.evidencekit.storage.RetentionLockedException e) {
        line("deleting 001 now: refused by the store (%s)", e.getMessage());
      }
      expect(ds.get(0).status() == RetentionStatus.RETAINED, "case-linked recording retained");
    }
  }

  private void ledger(List<Path> camera, List<Seal> seals, SigningKeys.LocalSigningKey key)
      throws Exception {
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    Path storeDir = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(storeDir, Clock.systemUTC())) {
      EvidenceArchive archive = EvidenceArchive.open(store, Clock.systemUTC());
      EvidenceLedger ledger = archive.ledger();
      String k1 = "DEVCAM7/2023-06-01/" + camera.get(0).getFileName();
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.VIEWED)
              .time(Instant.now())
              .actor("legal-0007")
              .subject(k1)
              .details(Map.of("reason", "review for hearing"))
              .build());
      LogCheckpoint cp = ledger.checkpoint(key);
      line(
          "ledger: %d entries (3 sealed, 1 viewed), checkpoint signed with the station key, root %s...",
          cp.size(), cp.root().hex().substring(0, 16));
      List<DeviceChain.Finding> chain = DeviceChain.verify("DEVCAM7", seals);
      line("device chain of DEVCAM7's 4 seals: %s", chain.isEmpty() ? "unbroken" : chain);
      List<Seal> without002 = new ArrayList<>(seals);
      without002.remove(1);
      List<DeviceChain.Finding> broken = DeviceChain.verify("DEVCAM7", without002);
      line("the same chain without 002's seal: %s", broken.get(0));
      expect(
          chain.isEmpty() && broken.get(0).code().equals(LedgerFindingCode.CHAIN_MISSING),
          "device chain");

      ProofBundle bundle = archive.export(k1, "clerk-0003", "appeal hearing", "court-7", key);
      Path bundleFile = dir.resolve("001.bundle.json");
      Files.write(bundleFile, bundle.toJson());
      List<Finding> problems;
      try (FileChannel ch = FileChannel.open(camera.get(0))) {
        problems = ProofBundle.parse(Files.readAllBytes(bundleFile)).verify(trust, ch);
      }
      line(
          "exported 001 to court-7 (logged who, why, to whom); its proof bundle verifies offline: %s",
          problems.isEmpty() ? "VERIFIED" : problems);
      expect(problems.isEmpty(), "export bundle");

      // An insider with root access edits the stored copy of 003 behind the store's back.
      Path stored = storedContent(storeDir, camera.get(2));
      stored.toFile().setWritable(true);
      flipByte(stored, 2000);
      SweepReport sweep = archive.sweep(null);
      line("integrity sweep after an insider edits the stored 003 on disk: %s", sweep);
      for (SweepReport.Item i : sweep.items()) {
        if (i.status() != SweepReport.Status.OK) {
          line("  %s", i.status() + " " + i.key());
        }
      }
      expect(sweep.items(SweepReport.Status.DAMAGED).size() == 1, "sweep finds the edit");
      LedgerReport lr = ledger.verify(trust);
      line(
          "ledger verified against its %d checkpoints: %s",
          lr.checkpointsVerified(), lr.intact() ? "INTACT" : lr.findings());
      expect(lr.intact(), "ledger intact");
    }
  }

  /** The store's content file holding the same bytes as {@code original}. */
  private static Path storedContent(Path storeDir, Path original) throws IOException {
    byte[] want = Files.readAllBytes(original);
    try (Stream<Path> s = Files.walk(storeDir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().equals("content")
            && Files.size(p) == want.length
            && java.util.Arrays.equals(Files.readAllBytes(p), want)) {
          return p;
        }
      }
    }
    throw new IOException("stored copy of " + original.getFileName() + " not found");
  }

  static EnforcementAction inspection() {
    return EnforcementAction.builder()
        .id("ZZ-2023-0042/inspection")
        .type(EnforcementAction.ON_SITE_INSPECTION)
        .span(
            new Interval(
                Instant.parse("2023-06-01T14:10:00Z"), Instant.parse("2023-06-01T14:10:12Z")))
        .place("Zaozhuang")
        .deviceIds(List.of("DEVCAM7"))
        .build();
  }

  private void report(Verifier trusting) throws IOException {
    Path storeDir = dir.resolve("store");
    Selection c;
    Selection inCase;
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(storeDir, Clock.systemUTC())) {
      ArchiveCatalog catalog =
          ArchiveCatalog.open(
              EvidenceArchive.open(store, Clock.systemUTC()),
              storeDir.toAbsolutePath().toString(),
              Clock.systemUTC());
      c =
          catalog.select(
              CatalogQuery.builder()
                  .actions(List.of(inspection()))
                  .readTimelines()
                  .reverify()
                  .signatures(trusting)
                  .build());
      inCase =
          catalog.select(
              CatalogQuery.builder().caseId("ZZ-2023-0042").actions(List.of(inspection())).build());
    }
    Path html = dir.resolve("report.html");
    Files.write(html, SupervisorReport.html(c, Presentation.defaults()));
    Path sheet = dir.resolve("ZZ-2023-0042.record-sheet.csv");
    Files.write(sheet, RecordSheet.csv(inCase, Presentation.defaults()));
    Files.write(
        dir.resolve("ZZ-2023-0042.record-sheet.html"),
        RecordSheet.html(inCase, Presentation.defaults()));
    long damaged = c.tally().damaged();
    line(
        "report.html: %d recordings of DEVCAM7 / police-0042 on one timeline against the"
            + " inspection, %d finding(s), %d damaged copy, ledger of %d entries",
        c.tally().recordings(), c.tally().findings(), damaged, c.ledgerSize());
    for (ActionCoverage a : c.continuity().coverage()) {
      List<String> un = new ArrayList<>();
      for (Interval u : a.uncovered()) {
        un.add(
            u.start().toString().substring(11, 19)
                + "-"
                + u.end().toString().substring(11, 19)
                + " UTC");
      }
      line("  %s: %.0f%% recorded, not recorded: %s", a.actionId(), a.ratio() * 100, un);
    }
    line(
        "%s: the case file's record sheet (Art. 18), %d recordings with time, place, officer"
            + " and storage location",
        sheet.getFileName(), inCase.tally().recordings());
    expect(
        c.tally().recordings() == 3
            && damaged == 1
            && !c.continuity().coverage().get(0).uncovered().isEmpty(),
        "report shows the session, the damaged copy and the unrecorded stretch");
  }

  private void continuity(List<Path> camera) throws IOException {
    MediaProbe probe = MediaProbe.create();
    List<RecordingSpan> spans = new ArrayList<>();
    for (int i = 0; i < camera.size(); i++) {
      if (i == 1) {
        continue; // deleted
      }
      Path p = camera.get(i);
      RecordingTimeline t = probe.probe(p);
      Instant start = t.creationTime().orElseThrow();
      spans.add(
          RecordingSpan.builder(p.getFileName().toString())
              .deviceId("DEVCAM7")
              .officerId("police-0042")
              .sequence(i + 1)
              .start(start)
              .end(start.plusMillis((long) (t.durationSeconds() * 1000)))
              .ingestTime(DOCKED)
              .build());
    }
    EnforcementAction inspection = inspection();
    ContinuityReport r = ContinuityAnalyzer.create().analyze(spans, List.of(inspection), List.of());
    DeviceSession.SessionBreak b = r.sessions().get(0).breaks().get(0);
    line(
        "device chain: %s -> %s: %s, %.1f s and sequence %s missing",
        b.before(), b.after(), b.kind(), b.seconds(), b.missingSequences());
    ActionCoverage c = r.coverage().get(0);
    line(
        "on-site inspection 14:10:00-14:10:12 (mandatory, Art. 13): %.0f%% recorded",
        c.ratio() * 100);
    for (ContinuityFinding f : r.findings()) {
      line("  %-7s %-16s %-10s %s", f.severity(), f.code(), f.article(), f.message());
    }
    expect(
        r.has(ContinuityCode.MISSING_FILE)
            && r.has(ContinuityCode.EARLY_STOP)
            && r.has(ContinuityCode.LATE_INGEST),
        "deletion, uncovered action and late ingest found");
  }

  /**
   * Makes {@link #dir} ready without ever deleting what the demo did not write: a new or empty
   * folder is used as it is; a folder of an earlier demo is cleared only if everything in it is
   * listed, with its size, in that demo's manifest ({@link #MARKER}); anything else (a real store
   * with a planted marker, a file someone added) is refused, and nothing is touched.
   */
  private void prepare() throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new EvidenceCommand.UsageException(dir + " exists and is not a folder");
      }
      List<Path> found;
      try (Stream<Path> s = Files.walk(dir)) {
        found = s.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
      }
      if (!found.isEmpty()) {
        Map<String, Long> manifest = readManifest();
        for (Path p : found) {
          String rel = dir.relativize(p).toString();
          if (rel.equals(MARKER)) {
            continue;
          }
          Long size = manifest.get(rel);
          boolean same =
              size != null
                  && (size < 0
                      ? Files.isDirectory(p)
                      : Files.isRegularFile(p) && Files.size(p) == size);
          if (!same) {
            throw new EvidenceCommand.UsageException(
                dir
                    + " is not empty and was not made by the demo (it holds "
                    + Cli.printable(rel)
                    + ", which the demo did not write); choose another --dir. Nothing was"
                    + " deleted");
          }
        }
        for (Path p : found) {
          Files.delete(p); // everything here is the demo's own: checked above
        }
      }
    }
    Files.createDirectories(dir);
    out.println("EvidenceKit demo in " + dir.toAbsolutePath());
  }

  /** The manifest of an earlier run: relative path to size (-1 for a folder); empty if none. */
  private Map<String, Long> readManifest() throws IOException {
    Path m = dir.resolve(MARKER);
    Map<String, Long> out = new java.util.HashMap<>();
    if (!Files.isRegularFile(m)) {
      return out;
    }
    byte[] bytes;
    try {
      bytes = Cli.readBounded(m, 16 << 20, "demo manifest");
    } catch (EvidenceCommand.UsageException e) {
      return out; // larger than any manifest the demo writes, or unreadable: not one of its own
    }
    for (String line :
        (Iterable<String>)
            new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines()::iterator) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        try {
          out.put(line.substring(tab + 1), Long.parseLong(line.substring(0, tab)));
        } catch (NumberFormatException e) {
          return new java.util.HashMap<>(); // not a manifest the demo wrote
        }
      }
    }
    return out;
  }

  /** Lists everything the demo wrote, so that the next run may clear exactly that. */
  private void writeManifest() throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(p -> !p.equals(dir)).sorted()::iterator) {
        String rel = dir.relativize(p).toString();
        if (!rel.equals(MARKER)) {
          b.append(Files.isDirectory(p) ? -1 : Files.size(p)).append('\t').append(rel).append('\n');
        }
      }
    }
    Files.writeString(dir.resolve(MARKER), b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private void heading(String s) {
    out.printf(Locale.ROOT, "%n%d. %s%n", ++step, s);
  }

  private void line(String fmt, Object... args) {
    out.printf(Locale.ROOT, "   " + fmt + "%n", args);
  }

  private void report(Path p, VerificationReport r) {
    line(
        "%-34s %s  %s",
        p.getFileName(),
        r.verdict(),
        r.tamperedRanges().isEmpty()
            ? "content as sealed"
            : "changed bytes: " + r.tamperedRanges());
    for (Finding f : r.findings()) {
      if (!f.code().equals(FindingCode.SIGNATURE_VERIFIED)) {
        line("  %-18s %s", f.code(), f.message());
      }
    }
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("demo check failed: " + what);
    }
  }

  private static void flipByte(Path p, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x01));
      b.rewind();
      ch.write(b, offset);
    }
  }

  private static byte[] readRange(Path p, ByteRange r) throws IOException {
    byte[] out = new byte[(int) r.length()];
    try (FileChannel ch = FileChannel.open(p)) {
      ByteBuffer b = ByteBuffer.wrap(out);
      while (b.hasRemaining() && ch.read(b, r.offset() + b.position()) >= 0) {
        // fill
      }
    }
    return out;
  }

  /** Deterministic content: SplitMix64 words, the same on every machine. */
  static void writePseudoRandom(Path p, long length) throws IOException {
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      long word = 0;
      for (long done = 0; done < length; done += b.capacity()) {
        b.clear();
        while (b.hasRemaining()) {
          long z = (++word) * 0x9E3779B97F4A7C15L;
          z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
          z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
          b.putLong(z ^ (z >>> 31));
        }
        b.flip();
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
    }
  }
}
