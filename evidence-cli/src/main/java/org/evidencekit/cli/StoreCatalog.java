package org.evidencekit.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;

/**
 * What the report and the record sheet show: the recordings of an archive that match a filter, each
 * with its seal, what the store enforces, its ledger entry and (when asked) the result of
 * re-verifying it; the continuity analysis over them; the ledger state it was read at.
 */
final class StoreCatalog {
  /** The one mapping ingest and analyze use too. */
  private static final org.evidencekit.ingest.TimelineMapping MAPPING =
      org.evidencekit.ingest.TimelineMapping.create();

  /** Which recordings. Null fields match everything. */
  static final class Filter {
    String caseId;
    String device;
    String officer;
    Instant from;
    Instant to;

    boolean matches(RecordingMetadata md) {
      if (caseId != null && !md.caseIds().contains(caseId)) {
        return false;
      }
      if (device != null && !md.deviceId().map(device::equals).orElse(false)) {
        return false;
      }
      if (officer != null && !md.officerId().map(officer::equals).orElse(false)) {
        return false;
      }
      Instant start = md.recordingStart().orElse(null);
      Instant end = md.recordingEnd().orElse(start);
      if (from != null && (end == null || end.isBefore(from))) {
        return false;
      }
      return to == null || (start != null && start.isBefore(to));
    }

    String describe() {
      List<String> parts = new ArrayList<>();
      if (caseId != null) {
        parts.add("case " + caseId);
      }
      if (device != null) {
        parts.add("device " + device);
      }
      if (officer != null) {
        parts.add("officer " + officer);
      }
      if (from != null) {
        parts.add("from " + from);
      }
      if (to != null) {
        parts.add("to " + to);
      }
      return parts.isEmpty() ? "all recordings" : String.join(", ", parts);
    }
  }

  /** One recording as the store, the seal and the ledger know it. */
  static final class Entry {
    String key;
    Seal seal;
    RecordingMetadata metadata;
    ObjectInfo info;
    long ledgerIndex;

    /** OK, DAMAGED, MISSING, NOT_CHECKED (encrypted without key) or "not verified". */
    String verification = "not verified";

    String verificationDetail = "";

    /** Stretches without samples inside the recording, in trusted time (from its index). */
    final List<org.evidencekit.continuity.Interval> internalGaps = new ArrayList<>();

    /** Container findings that are not benign (cuts, splices, truncation). */
    final List<String> containerFindings = new ArrayList<>();

    /** Where in trusted time a container finding points, with its code. */
    final List<Map.Entry<Instant, String>> marks = new ArrayList<>();

    /** The stored recording placed again from its index (null when not probed). */
    org.evidencekit.ingest.Placement placement;

    /** Why the index could not be read, if it could not (encrypted, not a media file). */
    String probeNote = "";

    /** The seal's signature and trusted time as checked against given anchors, or not checked. */
    String signature = "not checked (no --trust)";

    boolean signatureProblem;

    String fileName() {
      return metadata.originalFileName().orElse(key.substring(key.lastIndexOf('/') + 1));
    }

    Optional<Instant> trueStart() {
      Duration off = Duration.ofMillis(metadata.clockOffsetMillis().orElse(0L));
      return metadata.recordingStart().map(s -> s.minus(off));
    }

    Optional<Instant> trueEnd() {
      Duration off = Duration.ofMillis(metadata.clockOffsetMillis().orElse(0L));
      return metadata.recordingEnd().map(s -> s.minus(off));
    }

    boolean tampered() {
      return verification.equals("DAMAGED") || verification.equals("MISSING");
    }
  }

  final String location;
  final Filter filter;
  final Instant madeAt;
  final List<Entry> entries = new ArrayList<>();
  final List<EnforcementAction> actions;
  ContinuityReport continuity;
  long ledgerSize;
  String ledgerRoot;
  LogCheckpoint checkpoint;
  SweepReport sweep;

  private StoreCatalog(
      String location, Filter filter, Instant madeAt, List<EnforcementAction> actions) {
    this.location = location;
    this.filter = filter;
    this.madeAt = madeAt;
    this.actions = actions;
  }

  /**
   * Reads the archive.
   *
   * @param timelines read each stored recording's container index (holes, cuts, splices)
   * @param verify re-verify every recording against its seal and the ledger (reads all content)
   */
  static StoreCatalog read(
      EvidenceArchive archive,
      String location,
      Filter filter,
      List<EnforcementAction> actions,
      boolean timelines,
      boolean verify)
      throws IOException {
    StoreCatalog c = new StoreCatalog(location, filter, Instant.now(), List.copyOf(actions));
    c.ledgerSize = archive.ledger().size();
    c.ledgerRoot = archive.ledger().root().hex();
    c.checkpoint = archive.ledger().latestCheckpoint().orElse(null);
    for (Map.Entry<String, EvidenceArchive.Sealed> e : archive.sealedRecordings().entrySet()) {
      Entry x = new Entry();
      x.key = e.getKey();
      x.ledgerIndex = e.getValue().index();
      try {
        x.seal = archive.seal(e.getKey());
      } catch (org.evidencekit.storage.NoSuchObjectException gone) {
        x.seal = null;
      }
      x.metadata =
          x.seal == null
              ? RecordingMetadata.builder().build()
              : x.seal.metadata().orElse(RecordingMetadata.builder().build());
      if (!filter.matches(x.metadata)) {
        continue;
      }
      try {
        x.info = archive.store().stat(ObjectKey.of(e.getKey()));
      } catch (org.evidencekit.storage.NoSuchObjectException gone) {
        x.info = null;
        x.verification = "MISSING";
        x.verificationDetail = "the recording is not in the store";
      }
      c.entries.add(x);
    }
    for (Entry x : c.entries) {
      if (timelines && x.info != null) {
        probe(archive, x);
      }
    }
    c.entries.sort(
        java.util.Comparator.comparing((Entry x) -> x.trueStart().orElse(Instant.MAX))
            .thenComparing(x -> x.key));
    if (verify) {
      c.sweep = archive.sweep(null);
      for (SweepReport.Item i : c.sweep.items()) {
        for (Entry x : c.entries) {
          if (x.key.equals(i.key())) {
            x.verification = i.status().name();
            x.verificationDetail = i.detail();
          }
        }
      }
    }
    c.continuity = c.analyze();
    return c;
  }

  /**
   * Checks every seal's signature and trusted time against {@code verifier}'s trust policy (no
   * content is read): VERIFIED with the key id, or the problem's code.
   */
  void checkSignatures(org.evidencekit.verify.Verifier verifier) {
    for (Entry x : entries) {
      if (x.seal == null) {
        continue;
      }
      org.evidencekit.verify.VerificationReport r = verifier.verifySeal(x.seal);
      List<String> problems = new ArrayList<>();
      for (org.evidencekit.verify.Finding f : r.findings()) {
        if (!org.evidencekit.verify.FindingCode.isInformational(f.code())) {
          problems.add(f.code() + ": " + f.message());
        }
      }
      if (!problems.isEmpty()) {
        x.signatureProblem = true;
        x.signature = String.join("; ", problems);
      } else if (r.has(org.evidencekit.verify.FindingCode.SIGNATURE_VERIFIED)) {
        x.signature =
            "verified ("
                + x.seal.signature().map(s -> s.keyId()).orElse("?")
                + (r.has(org.evidencekit.verify.FindingCode.TIMESTAMP_VERIFIED)
                    ? ", trusted time"
                    : "")
                + ")";
      }
    }
  }

  /** Reads the stored recording's index: internal gaps, cuts, splices. */
  private static void probe(EvidenceArchive archive, Entry x) {
    String type = x.metadata.mediaType().orElse("");
    if (!type.startsWith("video/") && !type.startsWith("audio/")) {
      return;
    }
    org.evidencekit.video.RecordingTimeline t;
    try (java.nio.channels.SeekableByteChannel ch = archive.store().openRead(ObjectKey.of(x.key))) {
      t = org.evidencekit.video.MediaProbe.create().probe(ch);
    } catch (org.evidencekit.video.MediaFormatException e) {
      x.probeNote =
          "index not readable (encrypted at rest, or not a media file): " + e.getMessage();
      return;
    } catch (IOException e) {
      x.probeNote = "index not read: " + e.getMessage();
      return;
    }
    x.placement = MAPPING.place(x.fileName(), t);
    Instant start = x.trueStart().orElse(null);
    if (start == null) {
      return;
    }
    t.track("vide")
        .or(() -> t.track("soun"))
        .ifPresent(
            main -> {
              for (org.evidencekit.video.TimelineGap g : main.gaps()) {
                x.internalGaps.add(
                    new org.evidencekit.continuity.Interval(
                        start.plusNanos((long) (g.fromSeconds() * 1e9)),
                        start.plusNanos((long) (g.toSeconds() * 1e9))));
              }
            });
    for (org.evidencekit.video.MediaFinding f : t.findings()) {
      if (f.benign()) {
        continue;
      }
      x.containerFindings.add(f.code());
      if (f.timeSeconds().isPresent()) {
        x.marks.add(
            Map.entry(start.plusNanos((long) (f.timeSeconds().getAsDouble() * 1e9)), f.code()));
      }
    }
  }

  /** The id a recording has in the continuity analysis: its file name, unless two share it. */
  String spanId(Entry x) {
    long same = entries.stream().filter(o -> o.fileName().equals(x.fileName())).count();
    return same > 1 ? x.key : x.fileName();
  }

  private ContinuityReport analyze() {
    List<RecordingSpan> spans = new ArrayList<>();
    for (Entry x : entries) {
      MAPPING.span(spanId(x), x.metadata, x.placement).ifPresent(spans::add);
    }
    return ContinuityAnalyzer.create().analyze(spans, actions, List.of());
  }
}
