package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.evidencekit.continuity.Interval;
import org.evidencekit.ingest.Placement;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.ObjectInfo;
import org.jspecify.annotations.Nullable;

/**
 * One recording as the store, its seal and the ledger know it, and what checking it found. Filled
 * in by {@link ArchiveCatalog#select} and never changed after the {@link Selection} holding it is
 * returned.
 */
public final class CatalogedRecording {
  /** Where in (corrected) time a container finding points, with its code. */
  public record Mark(Instant at, String code) {}

  /**
   * How a recording was lawfully destroyed: when, under which approved plan, by whom,
   * on whose approval, and the index of its {@code disposed} ledger entry.
   *
   * @param approvers whose approval of the plan the ledger logged before the disposal, in force
   *     when it was made ("name (key id)", as destruction registers write them), and, when a
   *     register whose digest the ledger logged lists the recording, named by it (the approvals the
   *     execution counted: anyone can log one with a key of their own); never a name only a
   *     register gives, which any writer to the store could plant or edit
   */
  public record Disposal(
      Instant at, String planDigest, String executedBy, List<String> approvers, long ledgerIndex) {
    public Disposal {
      requireNonNull(at, "at");
      requireNonNull(planDigest, "planDigest");
      requireNonNull(executedBy, "executedBy");
      approvers = List.copyOf(approvers);
    }
  }

  /**
   * The disposal in one sentence for people, as the record sheet and the supervisor report print
   * it: when, under which plan, by whom, on whose approval.
   */
  static String disposalText(Disposal d, Presentation p) {
    Labels l = p.labels();
    return l.t("Destroyed")
        + " "
        + p.dayTime(d.at())
        + "; "
        + l.t("plan")
        + " "
        + d.planDigest()
        + "; "
        + l.t("executed by")
        + " "
        + d.executedBy()
        + "; "
        + l.t("approved by")
        + " "
        + (d.approvers().isEmpty()
            ? l.t("the ledger records no approval of its plan")
            : String.join(", ", d.approvers()));
  }

  /**
   * What is wrong with the account of its disposal, in words for a line of the sheet (the planted
   * names themselves are never printed), or empty.
   */
  String disposalNote() {
    if (disposalProblem == null) {
      return "";
    }
    return switch (disposalProblem) {
      case Selection.APPROVERS_UNVOUCHED -> APPROVERS_UNVOUCHED_NOTE;
      case Selection.REGISTER_MISSING -> REGISTER_MISSING_NOTE;
      case Selection.REGISTER_DIFFERS -> REGISTER_DIFFERS_NOTE;
      default -> disposalProblem;
    };
  }

  static final String APPROVERS_UNVOUCHED_NOTE =
      "its destruction register names approvers the ledger does not record; only those the"
          + " ledger records are shown";
  static final String REGISTER_MISSING_NOTE =
      "no destruction register of its plan lists it; the approvers are those the ledger records";
  static final String REGISTER_DIFFERS_NOTE =
      "the destruction register of its plan in the store is not the one the ledger logged; the"
          + " disposal shown is the ledger's";

  final String key;
  final @Nullable Seal seal;
  final RecordingMetadata metadata;
  final long ledgerIndex;
  @Nullable ObjectInfo info;
  SweepReport.@Nullable Status verification;
  String verificationDetail = "";
  final List<Interval> internalGaps = new ArrayList<>();
  final List<Mark> marks = new ArrayList<>();
  @Nullable Placement placement;
  String probeNote = "";
  String signature = "";
  boolean signatureProblem;

  /**
   * The time its verified token attests, when the seal's claimed ingest time is not believed
   * ({@code TIMESTAMP_DELAYED}): the analysis judges its ingest (Art. 17) by this instead.
   */
  @Nullable Instant attestedIngest;

  /**
   * Why the seal's recording times are not its content's (the container's own times, which the
   * content's hash covers), or null: the analysis then places it by its content.
   */
  @Nullable String sealedTimeProblem;

  int number;
  @Nullable Disposal disposal;

  /** Its seal object is in the store but cannot be read as a seal (garbage, past the heap). */
  boolean sealUnreadable;

  /** The finding code of what is wrong with its disposal's destruction register, or null. */
  @Nullable String disposalProblem;

  CatalogedRecording(
      String key, @Nullable Seal seal, RecordingMetadata metadata, long ledgerIndex) {
    this.key = key;
    this.seal = seal;
    this.metadata = metadata;
    this.ledgerIndex = ledgerIndex;
  }

  /** The object key. */
  public String key() {
    return key;
  }

  /** 1-based position in the selection (time order): the number its bar carries. */
  public int number() {
    return number;
  }

  /** The original file name from the seal, else the key's last part. */
  public String fileName() {
    return metadata.originalFileName().orElse(key.substring(key.lastIndexOf('/') + 1));
  }

  /** The stored seal, unless it is gone. */
  public Optional<Seal> seal() {
    return Optional.ofNullable(seal);
  }

  /** The seal's metadata (empty metadata without a seal). */
  public RecordingMetadata metadata() {
    return metadata;
  }

  /** What the store says about the object (size, retention, hold), unless it is gone. */
  public Optional<ObjectInfo> stored() {
    return Optional.ofNullable(info);
  }

  /**
   * The index of its {@code sealed} ledger entry (the first since its last disposal); -1 for a
   * destroyed recording, whose {@link #disposal()} names its {@code disposed} entry.
   */
  public long ledgerIndex() {
    return ledgerIndex;
  }

  /** How it was destroyed under an approved plan; empty for a recording still kept. */
  public Optional<Disposal> disposal() {
    return Optional.ofNullable(disposal);
  }

  /** The result of re-verifying it (or MISSING when the store lacks it); empty when not checked. */
  public Optional<SweepReport.Status> verification() {
    return Optional.ofNullable(verification);
  }

  public String verificationDetail() {
    return verificationDetail;
  }

  /** Stretches without samples inside the recording, in corrected time (from its index). */
  public List<Interval> internalGaps() {
    return List.copyOf(internalGaps);
  }

  /** Cuts, splices and truncations the index shows, where they are. */
  public List<Mark> marks() {
    return List.copyOf(marks);
  }

  /** The recording placed again from its stored index, when it was read. */
  public Optional<Placement> placement() {
    return Optional.ofNullable(placement);
  }

  /** Why the index could not be read, or empty. */
  public String probeNote() {
    return probeNote;
  }

  /** Under a truncated recording on the record sheet: why its length and end disagree. */
  static final String TRUNCATED_LENGTH_NOTE =
      "Its file was cut short: its length is the media left in it, as ingest reports it; its end"
          + " is the end its index declares and its seal holds, and what lies past the media left"
          + " was lost";

  /** Under a recording whose index the record sheet could not read: what its length is. */
  static final String INDEX_UNREAD_NOTE =
      "Its index could not be read (stored encrypted at rest, or not readable): its length is the"
          + " span its seal declares, not checked against the media left in it";

  /**
   * Why the record sheet's length is not simply end minus start, or empty: the file was cut short
   * (the length is the media left, the end the declared one), or its index was to be read and could
   * not be (encrypted at rest, unreadable), so the length is the sealed span unchecked (R-13,
   *
   */
  String lengthNote() {
    if (placement != null) {
      return placement.declaredSeconds() > placement.durationSeconds() ? TRUNCATED_LENGTH_NOTE : "";
    }
    return probeNote.isEmpty() ? "" : INDEX_UNREAD_NOTE;
  }

  /** The signature check in words (empty when not checked). */
  public String signature() {
    return signature;
  }

  /** Whether the seal's signature or trusted time failed the trust policy. */
  public boolean signatureProblem() {
    return signatureProblem;
  }

  /** Recording start in true time: the device's start corrected by its measured clock offset. */
  public Optional<Instant> start() {
    Duration off = Duration.ofMillis(metadata.clockOffsetMillis().orElse(0L));
    return metadata.recordingStart().map(s -> s.minus(off));
  }

  /** Recording end in true time. */
  public Optional<Instant> end() {
    Duration off = Duration.ofMillis(metadata.clockOffsetMillis().orElse(0L));
    return metadata.recordingEnd().map(s -> s.minus(off));
  }

  /**
   * Length of what the recording holds, when start and end are known: the sealed span, or, when its
   * index was read ({@link CatalogQuery#readsTimelines()}) and shows the file cut short, only the
   * media that is there and plays, as {@code ingest} reports it. A truncated file's index declares
   * more than it holds; what is past the media left was lost and counts as not recorded (R-13,
   *
   */
  public Optional<Duration> length() {
    Optional<Instant> s = start();
    Optional<Instant> e = end();
    if (s.isEmpty() || e.isEmpty()) {
      return Optional.empty();
    }
    Duration span = Duration.between(s.get(), e.get());
    if (placement != null && placement.declaredSeconds() > placement.durationSeconds()) {
      Duration plays = Duration.ofNanos(Math.round(placement.durationSeconds() * 1e9));
      return Optional.of(plays.compareTo(span) < 0 ? plays : span);
    }
    return Optional.of(span);
  }

  /** Damaged or missing. */
  public boolean damaged() {
    return verification == SweepReport.Status.DAMAGED || verification == SweepReport.Status.MISSING;
  }

  /** Intact: re-verified against its seal and the ledger. */
  public boolean intact() {
    return verification == SweepReport.Status.OK;
  }
}
