package org.evidencekit.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport;
import org.jspecify.annotations.Nullable;

/**
 * What a document shows: the recordings a {@link CatalogQuery} selected, in time order, checked as
 * it asked; the continuity analysis over them; the ledger state they were read at; and the one list
 * of findings (and the one {@link Tally}) every document takes its counts from.
 */
public final class Selection {
  /** Where an archive object that no recording accounts for is listed. */
  static final String STRAY_ARTICLE = "Art. 21(2), R-20";

  /**
   * A destroyed recording's destruction register names an approver whose approval of the plan the
   * ledger does not record: the register was planted or edited (or an approval's entry was never
   * appended). An error: the names are not printed.
   */
  static final String APPROVERS_UNVOUCHED = "DISPOSAL_APPROVERS_UNVOUCHED";

  /**
   * No destruction register of its plan lists a destroyed recording, and none the ledger logged for
   * the plan is missing or unreadable: an execution that stopped before writing its register. A
   * warning.
   */
  static final String REGISTER_MISSING = "DISPOSAL_REGISTER_MISSING";

  /**
   * The destruction register of a destroyed recording's plan in the store is not the one the ledger
   * logged: one the ledger never logged names the recording, or, with none logged listing it, one
   * the ledger never logged is there, a logged one is gone or one is unreadable (edited, replaced,
   * planted or removed; a signature by the executor's key does not make it logged). An error: the
   * disposal shown is the ledger's, nothing of the register is printed.
   */
  static final String REGISTER_DIFFERS = "DISPOSAL_REGISTER_DIFFERS";

  /**
   * A kept recording's sealed start or end is not its content's own container time (read with the
   * timelines): the signer wrote other times than the content's, which the seal's hash covers. An
   * error; the analysis places it by its content.
   */
  static final String SEALED_TIME_MISMATCH = "SEALED_TIME_MISMATCH";

  /** Where a destroyed recording's account of its disposal is checked. */
  static final String DISPOSAL_ARTICLE = "Art. 19, R-16, R-18";

  private final String location;
  private final CatalogQuery query;
  private final Instant madeAt;
  private final List<CatalogedRecording> recordings;
  private final List<CatalogedRecording> destroyed;
  private final ContinuityReport continuity;
  private final long ledgerSize;
  private final String ledgerRoot;
  private final @Nullable LogCheckpoint checkpoint;
  private final boolean reverified;
  private final List<ReportFinding> findings;
  private final Map<ReportFinding, ContinuityFinding> sources = new IdentityHashMap<>();
  private final Tally tally;

  Selection(
      String location,
      CatalogQuery query,
      Instant madeAt,
      List<CatalogedRecording> recordings,
      ContinuityReport continuity,
      long ledgerSize,
      String ledgerRoot,
      @Nullable LogCheckpoint checkpoint,
      boolean reverified,
      List<SweepReport.Item> strays,
      List<CatalogedRecording> destroyed) {
    this.location = location;
    this.query = query;
    this.madeAt = madeAt;
    this.recordings = List.copyOf(recordings);
    this.destroyed = List.copyOf(destroyed);
    this.continuity = continuity;
    this.ledgerSize = ledgerSize;
    this.ledgerRoot = ledgerRoot;
    this.checkpoint = checkpoint;
    this.reverified = reverified;
    this.findings =
        List.copyOf(findings(this.recordings, this.destroyed, continuity, strays, sources));
    this.tally = tally(this.recordings, this.findings);
  }

  private static List<ReportFinding> findings(
      List<CatalogedRecording> recs,
      List<CatalogedRecording> destroyed,
      ContinuityReport continuity,
      List<SweepReport.Item> strays,
      Map<ReportFinding, ContinuityFinding> sources) {
    List<ReportFinding> out = new ArrayList<>();
    // a destroyed recording's seal kept for good is checked as a kept recording's
    List<CatalogedRecording> listed = new ArrayList<>(recs);
    listed.addAll(destroyed);
    for (CatalogedRecording r : listed) {
      if (r.damaged()) {
        out.add(
            new ReportFinding(
                ReportFinding.Severity.ERROR,
                "RECORDING_" + r.verification,
                "Art. 21(2), R-20",
                r.key + ": " + r.verificationDetail,
                List.of(r.key)));
      }
    }
    for (CatalogedRecording r : recs) {
      if (r.signatureProblem) {
        out.add(
            new ReportFinding(
                ReportFinding.Severity.ERROR,
                "SEAL_NOT_TRUSTED",
                "Art. 21(2), R-05",
                r.key + ": " + r.signature,
                List.of(r.key)));
      }
    }
    for (CatalogedRecording r : recs) {
      if (r.sealedTimeProblem != null) {
        out.add(
            new ReportFinding(
                ReportFinding.Severity.ERROR,
                SEALED_TIME_MISMATCH,
                "Art. 17, 21(2), R-05",
                r.key + ": " + r.sealedTimeProblem,
                List.of(r.key)));
      }
    }
    for (SweepReport.Item i : strays) {
      if (i.status() == SweepReport.Status.NOT_CHECKED) {
        continue;
      }
      out.add(
          new ReportFinding(
              ReportFinding.Severity.ERROR,
              "ARCHIVE_" + i.status().name(),
              STRAY_ARTICLE,
              i.key() + ": " + i.detail(),
              List.of(i.key())));
    }
    out.addAll(disposalFindings(destroyed));
    for (ContinuityFinding f : continuity.findings()) {
      ReportFinding r =
          new ReportFinding(severity(f.severity()), f.code(), f.article(), f.message(), f.files());
      sources.put(r, f);
      out.add(r);
    }
    return out;
  }

  /**
   * One finding per plan and problem over the destroyed recordings whose destruction register does
   * not bear out the ledger: a plan destroys many recordings, its register is one.
   */
  private static List<ReportFinding> disposalFindings(List<CatalogedRecording> destroyed) {
    Map<String, List<String>> keys = new TreeMap<>();
    for (CatalogedRecording r : destroyed) {
      if (r.disposalProblem != null && r.disposal != null) {
        keys.computeIfAbsent(
                r.disposalProblem + " " + r.disposal.planDigest(), k -> new ArrayList<>())
            .add(r.key);
      }
    }
    List<ReportFinding> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : keys.entrySet()) {
      String code = e.getKey().substring(0, e.getKey().indexOf(' '));
      String plan = e.getKey().substring(code.length() + 1);
      String these = e.getValue().size() == 1 ? "this recording" : "these recordings";
      String said =
          switch (code) {
            case APPROVERS_UNVOUCHED ->
                "a destruction register of the plan that the ledger logged names approvers whose"
                    + " approval the ledger does not record (an approval stored but never"
                    + " logged); only those the ledger records are shown";
            case REGISTER_DIFFERS ->
                "the destruction register of the plan in the store that accounts for "
                    + these
                    + " is not the one the ledger logged (edited, replaced, planted or removed);"
                    + " the disposal shown is the ledger's";
            default ->
                "no destruction register of the plan lists "
                    + these
                    + " (an execution that stopped before its register); the approvers shown are"
                    + " those the ledger records";
          };
      out.add(
          new ReportFinding(
              code.equals(REGISTER_MISSING)
                  ? ReportFinding.Severity.WARNING
                  : ReportFinding.Severity.ERROR,
              code,
              DISPOSAL_ARTICLE,
              "plan " + plan + ": " + said,
              e.getValue()));
    }
    return out;
  }

  /** The analysis's severities by name, so a level it adds later reads as INFO, not a crash. */
  private static ReportFinding.Severity severity(ContinuityFinding.Severity s) {
    return switch (s.name()) {
      case "ERROR" -> ReportFinding.Severity.ERROR;
      case "WARNING" -> ReportFinding.Severity.WARNING;
      default -> ReportFinding.Severity.INFO;
    };
  }

  private static Tally tally(List<CatalogedRecording> recs, List<ReportFinding> findings) {
    int intact = 0;
    int damaged = 0;
    int notChecked = 0;
    for (CatalogedRecording r : recs) {
      intact += r.intact() ? 1 : 0;
      damaged += r.damaged() ? 1 : 0;
      notChecked += r.verification == SweepReport.Status.NOT_CHECKED ? 1 : 0;
    }
    int errors = 0;
    int warnings = 0;
    for (ReportFinding f : findings) {
      errors += f.severity() == ReportFinding.Severity.ERROR ? 1 : 0;
      warnings += f.severity() == ReportFinding.Severity.WARNING ? 1 : 0;
    }
    return new Tally(recs.size(), intact, damaged, notChecked, findings.size(), errors, warnings);
  }

  /** Where the archive is, as the documents name it. */
  public String location() {
    return location;
  }

  public CatalogQuery query() {
    return query;
  }

  /** When the selection was read. */
  public Instant madeAt() {
    return madeAt;
  }

  /** The selected recordings in time order (unplaced ones last), numbered from 1. */
  public List<CatalogedRecording> recordings() {
    return recordings;
  }

  /**
   * The selected recordings destroyed under an approved plan, in time order, numbered
   * on after {@link #recordings()}: what was recorded, from the seals kept for good (from the
   * {@code sealed} ledger entry when the kept seal object is not the one it logged, cannot be read
   * or is gone: a {@code RECORDING_DAMAGED} or {@code RECORDING_MISSING} finding), with {@link
   * CatalogedRecording#disposal()}. Not in {@link #recordings()}, the continuity analysis or the
   * {@link #tally()}'s recording counts, which speak of what the archive holds; a plan whose
   * destruction register the ledger does not bear out is among the {@link #findings()} ({@code
   * DISPOSAL_REGISTER_DIFFERS}, {@code DISPOSAL_APPROVERS_UNVOUCHED}, {@code
   * DISPOSAL_REGISTER_MISSING}).
   */
  public List<CatalogedRecording> destroyed() {
    return destroyed;
  }

  /** The continuity analysis over the selected recordings and the query's actions. */
  public ContinuityReport continuity() {
    return continuity;
  }

  /** Ledger entries the selection was read at. */
  public long ledgerSize() {
    return ledgerSize;
  }

  /** The ledger's root at {@link #ledgerSize()}, hex. */
  public String ledgerRoot() {
    return ledgerRoot;
  }

  /** The latest signed checkpoint of the ledger, if one was signed. */
  public Optional<LogCheckpoint> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  /** Whether the recordings were re-verified for this selection. */
  public boolean reverified() {
    return reverified;
  }

  /** Every finding, in the order documents list them. */
  public List<ReportFinding> findings() {
    return findings;
  }

  /** Whether a finding is the continuity analysis's (not about the archive's objects). */
  boolean fromContinuity(ReportFinding f) {
    return sources.containsKey(f);
  }

  /** The sentence of a finding in the page's language, its times in the page's zone. */
  String message(ReportFinding f, Presentation p) {
    ContinuityFinding c = sources.get(f);
    return c != null ? c.message(p.locale(), p.zone()) : p.localize(f.message());
  }

  /** The article of a finding in the page's language. */
  String article(ReportFinding f, Presentation p) {
    ContinuityFinding c = sources.get(f);
    return c != null ? c.article(p.locale()) : f.article();
  }

  /** Every count a document shows. */
  public Tally tally() {
    return tally;
  }

  /** Whether any finding is an error. */
  public boolean hasErrors() {
    return tally.errors() > 0;
  }
}
