package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.ClockRefusedException;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionEngine;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.RetentionPushDown;
import org.evidencekit.retention.TrustedClock;
import org.evidencekit.seal.GeoPosition;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TimestampAuthority;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.jspecify.annotations.Nullable;

/**
 * The ingest station (Art. 17, R-05, R-07, R-08, R-14, R-16, R-18): for every recording of a
 * request it probes the timeline, seals the bytes while copying them into the store, binds device,
 * officer, cases and clock offset, signs and timestamps the seal, logs it in the ledger chained to
 * the device's previous seal, decides its retention and pushes it down to the store; then it
 * analyses the run's recordings together.
 *
 * <pre>{@code
 * IngestStation station = IngestStation.builder().store(store).signer(key).build();
 * IngestResult result =
 *     station.ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(dcim).build());
 * }</pre>
 *
 * <p>Idempotent and safe to run anywhere at once: any number of stations (threads, processes,
 * machines) may ingest into one store at the same time; the same bytes are stored and logged once
 * (the others get {@link IngestStatus#ALREADY}), and each device's seals form one chain. A run that
 * stopped part-way is completed by running it again ({@link IngestStatus#RESUMED}).
 *
 * <p>Thread-safe: one station may serve several threads.
 */
public final class IngestStation {
  /**
   * How far the trusted clock may be behind the ledger's latest time (clocks of stations), and how
   * far a timestamp token's time may be from the station's clock.
   */
  public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofMinutes(2);

  private static final Pattern ISO6709 =
      Pattern.compile("^([+-]\\d{1,3}(?:\\.\\d{1,12})?)([+-]\\d{1,3}(?:\\.\\d{1,12})?)");

  private final EvidenceStore store;
  private final @Nullable SigningKeyProvider signer;
  private final @Nullable TimestampAuthority tsa;
  private final RetentionPolicy policy;
  private final @Nullable TrustedClock clock;
  private final Clock wall;

  /**
   * How far ahead of the ledger's latest entry the station's time may be (the default system clock,
   * one given with {@link Builder#clock}, or a trusted clock's reading with no accepted jump
   * logged): the trusted clock's own bound ({@code HighWaterMarkClock}, at most 31 days), which the
   * ledger holds every entry to.
   */
  private static final Duration UNVOUCHED_MAX_AHEAD = Duration.ofDays(31);

  /** What {@link #UNVOUCHED_MAX_AHEAD}'s refusal advises, after saying what is wrong. */
  private static final String UNVOUCHED_ADVICE =
      ": a named person accepts the jump, with a reason, which the ledger logs (a trusted clock's"
          + " acceptJump, or --accept-clock-jump-by NAME --clock-reason TEXT), or set the clock"
          + " right";

  private final Duration clockTolerance;
  private final ObjectKeyLayout layout;
  private final TimelineMapping mapping;
  private final SealSuite suite;
  private final @Nullable AeadSuite aead;
  private final @Nullable KeyEncryptionKey kek;
  private final MediaProbe probe;
  private final IngestListener listener;
  private final Object ledgerLock = new Object();
  private @Nullable EvidenceLedger ledger;
  private RetentionHistory.@Nullable Reader history; // guarded by ledgerLock
  private @Nullable EvidenceLedger historyLedger; // the ledger history reads; guarded by ledgerLock

  private IngestStation(Builder b) {
    this.store = b.store;
    this.signer = b.signer;
    this.tsa = b.tsa;
    this.policy = b.policy == null ? RetentionPolicy.regulationDefault() : b.policy;
    this.clock = b.clock;
    this.wall = b.wall == null ? Clock.systemUTC() : b.wall;
    this.clockTolerance = b.clockTolerance == null ? DEFAULT_CLOCK_TOLERANCE : b.clockTolerance;
    this.mapping = b.mapping == null ? TimelineMapping.create(policy.zone()) : b.mapping;
    this.layout = b.layout == null ? ObjectKeyLayout.byDeviceAndDay(policy.zone()) : b.layout;
    this.suite = b.suite == null ? SealSuite.SHA256_SM3 : b.suite;
    this.aead = b.aead;
    this.kek = b.kek;
    this.probe = b.probe == null ? MediaProbe.create() : b.probe;
    this.listener = b.listener == null ? IngestListener.NONE : b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The mapping this station places recordings with. */
  public TimelineMapping mapping() {
    return mapping;
  }

  /**
   * Refuses a request that links cases of a class {@code policy} does not know: the retention
   * engine keeps such a class for good, and retention never shortens, so a typo ({@code 10Y} for
   * {@code 10y}) would make the recordings permanent, irrevocably. {@link #ingest} checks it
   * first; a caller may check before it opens or creates anything.
   *
   * @throws IllegalArgumentException naming the class and the policy's classes
   */
  public static void checkCaseClass(IngestRequest request, RetentionPolicy policy) {
    requireNonNull(request, "request");
    requireNonNull(policy, "policy");
    String caseClass = request.caseClass();
    if (!request.caseIds().isEmpty()
        && !caseClass.equals("permanent")
        && policy.caseTerm(caseClass).isEmpty()) {
      throw new IllegalArgumentException(
          "case class '"
              + caseClass
              + "' is not one of the policy's ("
              + String.join(", ", new java.util.TreeSet<>(policy.caseClassTerms().keySet()))
              + ", permanent)");
    }
  }

  /**
   * What {@link #ingest} returns for a request whose files and folders hold no recording (an empty
   * or unmounted card, a mistyped folder): no recordings, and what was skipped. Found without a
   * station or a store, so a caller can refuse such a request before it opens, or creates, one.
   *
   * @return that result, or empty when the request holds a recording to ingest
   * @throws IOException if a folder of the request cannot be listed
   */
  public static Optional<IngestResult> withoutRecordings(IngestRequest request) throws IOException {
    requireNonNull(request, "request");
    List<SkippedInput> skipped = new ArrayList<>();
    return expand(request, skipped, new IdentityHashMap<>()).isEmpty()
        ? Optional.of(new IngestResult(List.of(), skipped, null, null, null))
        : Optional.empty();
  }

  /**
   * Ingests every recording of {@code request}. Problems with single recordings are reported in the
   * result (their status and findings), never thrown.
   *
   * <p>A request whose files and folders hold no recording (an empty or unmounted card) returns a
   * result with no recordings and no {@link IngestResult#ingestTime()}: the trusted clock is not
   * read, nor the ledger.
   *
   * @throws ClockRefusedException if the trusted clock cannot vouch for the time, or reads more
   *     than the tolerance before the ledger's latest time (a clock that ran backwards): nothing is
   *     stored
   * @throws IOException if the store's ledger cannot be read: nothing is stored
   * @throws IllegalArgumentException if the request links cases of a class the retention policy
   *     does not know, or its device clock reading is further from the trusted time than a seal's
   *     clock offset records: nothing is stored
   */
  public IngestResult ingest(IngestRequest request) throws IOException, ClockRefusedException {
    requireNonNull(request, "request");
    checkCaseClass(request, policy);
    List<SkippedInput> skipped = new ArrayList<>();
    Map<RecordingSource, Path> inTrash = new IdentityHashMap<>();
    List<RecordingSource> sources = expand(request, skipped, inTrash);
    if (sources.isEmpty()) {
      // nothing to date: the trusted clock is not read, so a vouching named for it (an
      // initialisation, an accepted jump) is not recorded and its mark does not move
      return new IngestResult(List.of(), skipped, null, null, null);
    }
    EvidenceLedger log = ledger();
    log.refresh();
    // before this run: no station's seal logged from here on counts from an earlier time
    Optional<Instant> ledgerTime = log.view().latestTime();
    Instant now = trustedNow(log);
    Duration offset = offset(request, now);

    List<Probed> probed = new ArrayList<>();
    for (RecordingSource s : sources) {
      probed.add(probe(s, request.deviceId(), Optional.ofNullable(inTrash.get(s))));
    }
    // recording order is the device chain's order within a run
    probed.sort(
        Comparator.comparing((Probed p) -> p.placement.start().orElse(Instant.MAX))
            .thenComparing(p -> p.source.name()));

    // Each file is sealed as it is copied, all of them as one run of segments (SealRun: a folder
    // of small files keeps the SM3 lanes as full as one large file does). A logging thread logs
    // the recordings whose content is durable while later ones are still hashed: chained in run
    // order, a group per ledger append (ArchiveWriter.logRun), retention decided and pushed down.
    // The small writes of logging (staged seals, seal objects, retention) mostly wait for the disk;
    // done after the run they took as long as hashing a gigabyte (R-04: an officer waits).
    ArchiveWriter writer = new ArchiveWriter(store, log, aead, kek);
    Sealer sealer = Sealer.builder().suite(suite).build();
    long total = 0;
    for (Probed p : probed) {
      total += Math.max(0, p.size);
    }
    int toLog = 0;
    for (Probed p : probed) {
      toLog += !p.unreadable && p.key != null ? 1 : 0;
    }
    ProgressRelay relay = new ProgressRelay(listener);
    RunLogger logger =
        new RunLogger(writer, log, request, now, offset, toLog, ledgerTime.isEmpty());
    java.util.Map<Probed, IngestedRecording> logged;
    try {
      try (SealRun run = sealer.newRun(total)) {
        try {
          for (int i = 0; i < probed.size(); i++) {
            Probed p = probed.get(i);
            listener.started(p.source, i, probed.size(), p.size);
            if (!p.unreadable && p.key != null) {
              // once this run has logged, its entries (at or after `now`, which trustedNow never
              // puts before ledgerTime) bound the ledger's time; asked again at the commit
              Supplier<@Nullable Instant> retention =
                  () ->
                      retentionAtCommit(
                          p, request, logger.hasLogged() ? Optional.of(now) : ledgerTime, now);
              logger.add(p, store(writer, sealer, run, p, request, retention, offset, relay));
              relay.rethrow();
              logger.rethrowIfFailed(); // no point storing the rest of a run nobody will log
            }
          }
          try {
            run.finish();
          } catch (IOException e) {
            // the files it did not seal are stored again one by one when they are logged
          }
          relay.rethrow();
        } catch (RuntimeException | Error e) {
          logger.abandon(); // what is logged stays logged; the rest is stored, a re-run logs it
          throw e;
        } finally {
          logger.endOfRun();
        }
      }
      logged = logger.await();
    } finally {
      logger.abandon();
      logger.awaitEnd(); // after the run is closed: every seal it waits for is settled by then
      writer.close(); // a listener or signer that threw leaves no thread behind
    }
    List<IngestedRecording> rows = new ArrayList<>();
    for (Probed p : probed) {
      IngestedRecording r = logged.get(p);
      if (r != null) {
        rows.add(r);
      } else {
        rows.add(
            new IngestedRecording(
                p.source,
                IngestStatus.FAILED,
                null,
                p.size,
                null,
                p.placement,
                new ArrayList<>(p.findings),
                null,
                -1));
      }
    }
    for (IngestedRecording r : rows) {
      listener.finished(r);
    }
    return new IngestResult(rows, skipped, analyze(rows, request, now, offset), now, offset);
  }

  private EvidenceLedger ledger() throws IOException {
    synchronized (ledgerLock) {
      if (ledger == null) {
        // The station logs at the ledger's latest time when its clock is up to the tolerance
        // behind it (another station's clock ahead), so its ledger is given its clock plus that
        // tolerance: an entry further past this station's clock than that and the ledger's own
        // two minutes is refused.
        ledger = EvidenceLedger.open(store, Clock.offset(wall, clockTolerance));
      }
      return ledger;
    }
  }

  /**
   * The retention history's reader of the station's ledger: it reads each entry once for the
   * station's lifetime, not the whole log per group of every run.
   */
  private RetentionHistory.Reader historyOf(EvidenceLedger log) {
    synchronized (ledgerLock) {
      if (history == null || historyLedger != log) {
        history = RetentionHistory.reader(log);
        historyLedger = log;
      }
      return history;
    }
  }

  /** The trusted time, never before the latest time the ledger holds. */
  private Instant trustedNow(EvidenceLedger log) throws ClockRefusedException {
    Instant t = clock == null ? wall.instant() : clock.now();
    Optional<Instant> latest = log.view().latestTime();
    if (latest.isPresent() && t.isBefore(latest.get())) {
      if (t.isBefore(latest.get().minus(clockTolerance))) {
        throw new ClockRefusedException(
            "the station's clock reads "
                + t
                + ", "
                + Durations.human(Duration.between(t, latest.get()))
                + " before the latest time in the ledger ("
                + latest.get()
                + "): a clock that runs backwards could shorten retention; set the clock right");
      }
      t = latest.get(); // another station's clock is slightly ahead: never go back in the log
    }
    if (clock != null && latest.isPresent() && t.isAfter(latest.get().plus(UNVOUCHED_MAX_AHEAD))) {
      // a trusted clock that logged its accepted jump through another ledger object: look again
      try {
        log.refresh();
      } catch (IOException e) {
        throw new ClockRefusedException("cannot read the ledger's latest time: " + e.getMessage());
      }
      latest = log.view().latestTime();
    }
    if (latest.isPresent() && t.isAfter(latest.get().plus(UNVOUCHED_MAX_AHEAD))) {
      // A trusted clock measures its jump from the ledger's latest entry: sealed entries stamped
      // by a clock wound forward, the system's or one the caller gave, would move that time on,
      // and a disposition on the same clock would then read it with no named acceptance, so every
      // recording's two years ran out early. The ledger refuses such entries too, but
      // only once the content is stored: refused here, nothing is. The acceptance logged in the
      // ledger moves its latest time; a trusted clock logs it when its jump is accepted, so one
      // that reads this far on anyway (a TrustedClock of the caller's own) is refused as well.
      throw new ClockRefusedException(
          "the station's clock reads "
              + t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + ", "
              + Durations.human(Duration.between(latest.get(), t))
              + " after the latest time in the ledger ("
              + latest.get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + "), more than "
              + UNVOUCHED_MAX_AHEAD.toDays()
              + " days, and "
              + (clock == null
                  ? "no trusted clock vouches for it"
                  : "the ledger logs no accepted jump to it")
              + UNVOUCHED_ADVICE);
    }
    return t;
  }

  /**
   * In whole milliseconds, as every seal records it ({@code clockOffsetMillis}): the run's own
   * analysis then places recordings exactly where a later one from the seals does.
   */
  private static @Nullable Duration offset(IngestRequest r, Instant now) {
    Duration d;
    if (r.clockOffset().isPresent()) {
      d = r.clockOffset().get();
    } else if (r.deviceClockShown().isPresent()) {
      d = Duration.between(r.deviceClockReadAt().orElse(now), r.deviceClockShown().get());
    } else {
      return null;
    }
    // a reading against a station clock far off (the request's bound assumes a sane trusted time)
    IngestRequest.checkClockOffset(d);
    return Duration.ofMillis(d.toMillis());
  }

  /**
   * The request's sources, its folders searched recursively by the one search of a card ({@link
   * FolderSearch}, which {@code evidence analyze} uses too); what is left out (seal files, links to
   * folders, pipes, operating system debris, a file named twice) is listed with the reason, and
   * each source found in a trash folder of the card is put in {@code inTrash} with that folder.
   */
  private static List<RecordingSource> expand(
      IngestRequest request, List<SkippedInput> skipped, Map<RecordingSource, Path> inTrash)
      throws IOException {
    List<Path> paths = new ArrayList<>();
    for (RecordingSource s : request.sources()) {
      s.file().ifPresent(paths::add);
    }
    paths.addAll(request.folders());
    FolderSearch search = FolderSearch.of(paths, request.excluded());
    skipped.addAll(search.skipped());
    // the search hands back the very paths it was given: a source named twice is one path (or two
    // equal ones) taken once, so only its first source is kept
    Set<Path> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    taken.addAll(search.files());
    List<RecordingSource> out = new ArrayList<>();
    for (RecordingSource s : request.sources()) {
      if (s.file().isEmpty() || taken.remove(s.file().get())) {
        out.add(s);
      }
    }
    for (Path p : search.files()) {
      if (taken.remove(p)) {
        RecordingSource found = RecordingSource.of(p);
        search.trashFolder(p).ifPresent(t -> inTrash.put(found, t));
        out.add(found);
      }
    }
    return out;
  }

  /** What probing one source gave. */
  private static final class Probed {
    RecordingSource source;
    long size = -1;
    Placement placement;
    @Nullable ObjectKey key;
    final List<IngestFinding> findings = new ArrayList<>();
    @Nullable GeoPosition position;
    boolean unreadable;
  }

  private Probed probe(RecordingSource s, String deviceId, Optional<Path> trash) {
    Probed p = new Probed();
    p.source = s;
    RecordingTimeline t = null;
    try (SeekableByteChannel ch = s.open()) {
      p.size = ch.size();
      try {
        if (p.size == 0) {
          // what sealing and verifying call it: a recording in which nothing was recorded
          p.findings.add(
              new IngestFinding(
                  FindingCode.EMPTY_RECORDING,
                  IngestFinding.Severity.WARNING,
                  "the file is empty (0 bytes): sealed as it is, its seal proves only that nothing"
                      + " was recorded"));
        } else {
          t = probe.probe(ch);
        }
      } catch (MediaFormatException e) {
        p.findings.add(
            new IngestFinding(
                IngestCodes.NOT_MEDIA,
                IngestFinding.Severity.WARNING,
                e.getMessage() + " (taken as plain bytes: sealed as it is, without a timeline)"));
      }
    } catch (IOException e) {
      p.unreadable = true;
      p.findings.add(
          new IngestFinding(IngestCodes.UNREADABLE, IngestFinding.Severity.ERROR, e.getMessage()));
    }
    p.placement = mapping.place(s.name(), t);
    if (!p.placement.placed() && !p.unreadable) {
      p.findings.add(
          new IngestFinding(
              IngestCodes.NOT_PLACED,
              IngestFinding.Severity.WARNING,
              "neither the container nor the file name says when it was recorded; stored under"
                  + " 'undated' and left out of the continuity analysis"));
    }
    for (var f : p.placement.findings()) {
      p.findings.add(
          new IngestFinding(
              f.code(),
              f.benign() ? IngestFinding.Severity.NOTICE : IngestFinding.Severity.WARNING,
              f.message()));
    }
    if (t != null) {
      p.position = position(t, p);
    }
    try {
      ObjectKey key = layout.keyFor(deviceId, p.placement, s.name());
      // whatever the layout, never where the archive keeps its records or a seal: never swept
      EvidenceArchive.checkRecordingKey(key.value());
      p.key = key;
    } catch (IllegalArgumentException e) {
      p.findings.add(
          new IngestFinding(IngestCodes.BAD_NAME, IngestFinding.Severity.ERROR, e.getMessage()));
    }
    if (trash.isPresent()) {
      // kept like any recording, and said: deleting one on the card is what Art. 16 forbids
      p.findings.add(
          new IngestFinding(
              IngestCodes.FOUND_IN_TRASH,
              IngestFinding.Severity.WARNING,
              "found in the trash folder "
                  + trash.get()
                  + ": it was deleted on the card; sealed and kept as every recording is"));
    }
    return p;
  }

  private static @Nullable GeoPosition position(RecordingTimeline t, Probed p) {
    Optional<String> loc = t.location();
    if (loc.isEmpty()) {
      return null;
    }
    Matcher g = ISO6709.matcher(loc.get());
    if (!g.find()) {
      return null;
    }
    try {
      Instant at = t.gpsTime().or(() -> p.placement.start()).orElse(null);
      if (at == null) {
        return null;
      }
      return GeoPosition.of(strip(g.group(1)), strip(g.group(2)), at);
    } catch (IllegalArgumentException e) {
      p.findings.add(
          new IngestFinding(
              IngestCodes.BAD_LOCATION,
              IngestFinding.Severity.NOTICE,
              "the container's location '" + loc.get() + "' is not a position: " + e.getMessage()));
      return null;
    }
  }

  private static String strip(String signed) {
    return signed.startsWith("+") ? signed.substring(1) : signed;
  }

  private ArchiveWriter.Stored store(
      ArchiveWriter writer,
      Sealer sealer,
      SealRun run,
      Probed p,
      IngestRequest request,
      Supplier<@Nullable Instant> retention,
      @Nullable Duration offset,
      ProgressRelay relay) {
    return writer.store(
        p.source,
        p.key,
        sealer,
        run,
        (raw, previous, at) -> finish(raw, previous, p, request, at, offset),
        relay.of(p.source, p.size),
        retention);
  }

  /**
   * The retention a new recording's content is committed with ({@link
   * org.evidencekit.storage.WritableObject#retainOnCommit}), so that it is never visible
   * unprotected and the push-down after the run finds nothing left to write: the decision
   * the engine takes for it, taken before the commit from the same facts, without the archive's
   * history (which only ever lengthens a decision) and with a lower bound of the ledger's latest
   * time as both the ingest time and the recording's end (a clock-corrected end is each station's
   * own: a station whose clock is behind, within the tolerance, puts it earlier, possibly the day
   * before): the ledger's latest time before this run, or, once this run has logged a group, this
   * run's own time (its entries are logged at or after it). Whichever station's seal ends up logged
   * for the recording, its ingest time is no earlier: this run's own is its clock reading, never
   * before the ledger's latest time, and another station racing on the same bytes logs it only
   * after finding this content committed, so after this bound was read, at or after the ledger's
   * latest time it then reads. So the result is never longer than any decision for the recording,
   * which extends it where it differs; retention ends on whole days, so on the bound's day it is
   * the same. On an archive with no entries, until this run has logged its first group, there is no
   * such bound, and nothing is given. It holds only for a seal made now: {@link
   * ArchiveWriter#store} drops it for a recording that has one already. Null too when the decision
   * has no fixed end after {@code now} or cannot be taken yet; holds (open or permanent cases) are
   * placed after the run.
   */
  private @Nullable Instant retentionAtCommit(
      Probed p, IngestRequest request, Optional<Instant> logged, Instant now) {
    if (p.key == null || logged.isEmpty()) {
      return null;
    }
    Instant since = logged.get();
    try {
      Optional<Placement> placement = Optional.ofNullable(p.placement);
      RetentionFacts.Recording.Builder rf =
          RetentionFacts.Recording.builder(p.key.value())
              // the bound, not this station's clock-corrected end: another station corrects the
              // device's clock against its own (up to the tolerance apart, or an offset of its
              // own), and its decision, the one that may stand, counts from its correction
              .recordingEnd(since)
              .ingestTime(since)
              .mediaType(placement.map(Placement::mediaType).orElse("application/octet-stream"))
              .objectKey(p.key.value());
      request.caseIds().forEach(rf::addCaseId);
      RetentionDecision d =
          RetentionEngine.decideAll(
                  policy,
                  RetentionFacts.of(List.of(rf.build()), openCases(request)),
                  RetentionHistory.empty(),
                  now)
              .get(0);
      Optional<Instant> end = d.latestFixedEnd();
      return end.isPresent() && end.get().isAfter(now) ? end.get() : null;
    } catch (RuntimeException e) {
      return null; // decided after the run, which reports what is wrong
    }
  }

  private static List<RetentionFacts.Case> openCases(IngestRequest request) {
    List<RetentionFacts.Case> open = new ArrayList<>();
    for (String c : request.caseIds()) {
      open.add(new RetentionFacts.Case(c, request.caseClass(), null));
    }
    return open;
  }

  /**
   * The listener's progress calls, kept where its contract puts them: on the ingesting thread (a
   * file the run failed to seal is stored again on the logging thread, unreported), and out of the
   * hash pipeline, which would take a listener's exception for a failed run and go on without it:
   * the first one is thrown on the ingesting thread once the file's submission returns.
   */
  private static final class ProgressRelay {
    private final IngestListener listener;
    private final Thread ingesting = Thread.currentThread();
    private @Nullable Throwable failure;

    ProgressRelay(IngestListener listener) {
      this.listener = listener;
    }

    java.util.function.LongConsumer of(RecordingSource source, long size) {
      return done -> {
        if (Thread.currentThread() != ingesting || failure != null) {
          return;
        }
        try {
          listener.progress(source, done, size);
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      };
    }

    void rethrow() {
      rethrowFrom(failure, "the listener failed");
    }
  }

  /** Throws {@code t}, if any, on this thread: as it is if unchecked, else wrapped. */
  private static void rethrowFrom(@Nullable Throwable t, String what) {
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    if (t != null) {
      throw new IllegalStateException(what, t);
    }
  }

  private IngestedRecording row(
      Probed p,
      ArchiveWriter.Outcome o,
      IngestRequest request,
      Instant now,
      @Nullable Duration offset) {
    List<IngestFinding> findings = new ArrayList<>(p.findings);
    findings.addAll(o.findings());
    findings.addAll(timeFindings(p.placement, o.seal(), request, now, offset));
    // what was sealed and stored, not what the probe saw: a file that changed while it was read is
    // stored again as it then was
    long size = o.seal() == null ? p.size : o.seal().length();
    if (o.seal() != null && p.size >= 0 && size != p.size) {
      // evidence that changed under the station: a person must look, whatever else went well
      findings.add(
          new IngestFinding(
              IngestCodes.CHANGED_WHILE_READ,
              IngestFinding.Severity.ERROR,
              "the file changed while it was read: "
                  + p.size
                  + " bytes when probed, "
                  + size
                  + " bytes sealed and stored (a camera still writing, a card pulled, or an"
                  + " edit?); its timeline and container findings are of the probed file"));
    }
    return new IngestedRecording(
        p.source,
        o.status(),
        // the key derived from its content when its own was taken by another recording
        o.key() != null ? o.key().value() : p.key.value(),
        size,
        o.seal(),
        p.placement,
        findings,
        null,
        o.ledgerIndex());
  }

  private Seal finish(
      Seal raw,
      Optional<String> previous,
      Probed p,
      IngestRequest request,
      Instant now,
      @Nullable Duration offset)
      throws IOException {
    RecordingMetadata.Builder md =
        RecordingMetadata.builder()
            .deviceId(request.deviceId())
            .officerId(request.officerId())
            .ingestTime(now)
            .originalFileName(p.source.name())
            .mediaType(p.placement.mediaType());
    request.caseIds().forEach(md::addCaseId);
    p.placement.start().ifPresent(md::recordingStart);
    p.placement.end().ifPresent(md::recordingEnd);
    if (offset != null) {
      md.clockOffsetMillis(offset.toMillis());
    }
    if (p.position != null) {
      md.addPosition(p.position);
    }
    previous.ifPresent(md::previousSealDigest);
    Seal bound = raw.withMetadata(md.build());
    if (signer == null) {
      return bound;
    }
    Seal signed = SealSigner.sign(bound, signer, tsa);
    if (tsa != null) {
      // a token this station's clock disagrees with makes a seal no verifier believes: refused
      // here, before it is logged, as a TSA that does not answer is
      SealSigner.checkTimestampTime(signed, reading(), clockTolerance);
    }
    return signed;
  }

  /** The station's clock as it reads now, vouching for nothing. */
  private Instant reading() throws IOException {
    if (clock == null) {
      return wall.instant();
    }
    try {
      return clock.reading();
    } catch (ClockRefusedException e) {
      throw new IOException(
          "the trusted clock cannot be read to check the timestamp token: " + e.getMessage(), e);
    }
  }

  /** Times that contradict each other, with the numbers. */
  private static List<IngestFinding> timeFindings(
      Placement placement,
      @Nullable Seal seal,
      IngestRequest request,
      Instant now,
      @Nullable Duration offset) {
    List<IngestFinding> out = new ArrayList<>();
    if (placement.end().isEmpty()) {
      return out;
    }
    Duration off = offset == null ? Duration.ZERO : offset;
    Instant deviceEnd = placement.end().get();
    Instant trueEnd = deviceEnd.minus(off);
    Instant ingested =
        seal == null ? now : seal.metadata().flatMap(RecordingMetadata::ingestTime).orElse(now);
    if (request.deviceClockShown().isPresent()
        && deviceEnd.isAfter(request.deviceClockShown().get().plus(TOLERANCE))) {
      out.add(
          new IngestFinding(
              IngestCodes.RECORDED_AFTER_INGEST,
              IngestFinding.Severity.WARNING,
              "by the device's own clock the recording ends "
                  + millis(deviceEnd)
                  + ", "
                  + Durations.human(Duration.between(request.deviceClockShown().get(), deviceEnd))
                  + " after the device's clock read "
                  + millis(request.deviceClockShown().get())
                  + " at docking: the container time is wrong"));
    } else if (trueEnd.isAfter(ingested.plus(TOLERANCE))) {
      out.add(
          new IngestFinding(
              IngestCodes.RECORDED_AFTER_INGEST,
              IngestFinding.Severity.WARNING,
              "the recording ends "
                  + millis(trueEnd)
                  + (offset == null ? " (device clock not read)" : " (clock-corrected)")
                  + ", "
                  + Durations.human(Duration.between(ingested, trueEnd))
                  + " after it was ingested at "
                  + millis(ingested)
                  + ": a clock is wrong; retention counts from this end, the later of it and"
                  + " the ingest time"));
    }
    return out;
  }

  /** As messages show times (docs/continuity-report.md): to the millisecond at most. */
  private static Instant millis(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Ends the queue of a {@link RunLogger}. */
  private static final Object END_OF_RUN = new Object();

  /**
   * Groups of a run's recordings logged at most: each group is two ledger appends (its seals, its
   * retention decisions), each a batch object that every later reader of the ledger reads. Eight
   * groups leave an eighth of the logging to do once the last file is hashed.
   */
  private static final int GROUPS_PER_RUN = 8;

  /** Recordings logged together at least (unless the run has fewer left). */
  private static final int MIN_GROUP = 32;

  /**
   * Logs a run's recordings on a thread of its own, in run order, as their content becomes durable,
   * while the main thread goes on submitting files to the run: it waits for the next {@code
   * groupSize} recordings to be durable (or the run's end), takes every later one durable by then
   * too (up to a ledger batch), and logs them as one group.
   */
  private final class RunLogger implements Runnable {
    private final ArchiveWriter writer;
    private final EvidenceLedger log;
    private final IngestRequest request;
    private final Instant now;
    private final @Nullable Duration offset;
    private final java.util.concurrent.BlockingQueue<Object> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.Map<Probed, IngestedRecording> rows = new java.util.IdentityHashMap<>();
    private final Set<String> retained = new HashSet<>();
    private final int groupSize;

    /**
     * The first group's size: on an archive with no entries, 1. Until this run has logged, such an
     * archive gives no bound for {@link #retentionAtCommit}, so every recording committed meanwhile
     * is visible without retention until the push-down writes its lock and costs a lock file
     * and a durable metadata rewrite; logging the first durable recording at once (and whichever
     * are durable with it) shortens that to the time one group takes to log.
     */
    private int nextGroup;

    private final Thread thread;
    private volatile boolean abandoned;
    private volatile @Nullable Throwable failure;
    private volatile boolean logged;

    private record Item(Probed probed, ArchiveWriter.Stored stored) {}

    RunLogger(
        ArchiveWriter writer,
        EvidenceLedger log,
        IngestRequest request,
        Instant now,
        @Nullable Duration offset,
        int recordings,
        boolean emptyArchive) {
      this.groupSize =
          Math.min(
              EvidenceLedger.MAX_BATCH,
              Math.max(MIN_GROUP, (recordings + GROUPS_PER_RUN - 1) / GROUPS_PER_RUN));
      this.nextGroup = emptyArchive ? 1 : groupSize;
      this.writer = writer;
      this.log = log;
      this.request = request;
      this.now = now;
      this.offset = offset;
      this.thread = new Thread(this, "evidencekit-ingest-log");
      thread.setDaemon(true);
      thread.start();
    }

    void add(Probed p, ArchiveWriter.Stored s) {
      queue.add(new Item(p, s));
    }

    void endOfRun() {
      queue.add(END_OF_RUN);
    }

    /**
     * Stops after the group being appended, if any; recordings not logged by then stay stored and
     * unlogged (a re-run logs them).
     */
    void abandon() {
      abandoned = true;
      queue.add(END_OF_RUN);
    }

    /**
     * Whether this run has appended a {@code sealed} entry: from then on the ledger's latest time
     * is at or after the run's own (entries are logged at the later of the two).
     */
    boolean hasLogged() {
      return logged;
    }

    /** Throws what stopped the logging thread, if it stopped on a failure. */
    void rethrowIfFailed() {
      rethrowFrom(failure, "logging the run failed");
    }

    /** Every recording's row, once the run is over and all of them are logged. */
    java.util.Map<Probed, IngestedRecording> await() {
      awaitEnd();
      rethrowIfFailed();
      return rows;
    }

    void awaitEnd() {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the logger ends on its own: its group is already being appended
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      try {
        boolean end = false;
        while (!end && !abandoned) {
          Object first = queue.take();
          if (first == END_OF_RUN) {
            break;
          }
          List<Item> group = new ArrayList<>();
          group.add((Item) first);
          int size = nextGroup;
          nextGroup = groupSize;
          while (group.size() < size) {
            Object next = queue.take();
            if (next == END_OF_RUN) {
              end = true;
              break;
            }
            group.add((Item) next);
          }
          for (Item i : group) {
            i.stored().awaitSettled();
          }
          while (!end && group.size() < EvidenceLedger.MAX_BATCH) {
            Object next = queue.peek();
            if (next == END_OF_RUN) {
              end = true;
              break;
            }
            if (next == null || !((Item) next).stored().settled()) {
              break;
            }
            group.add((Item) queue.remove());
          }
          if (abandoned) {
            break;
          }
          logGroup(group);
        }
      } catch (InterruptedException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }

    private void logGroup(List<Item> group) {
      List<ArchiveWriter.Stored> stored = new ArrayList<>(group.size());
      for (Item i : group) {
        stored.add(i.stored());
      }
      List<ArchiveWriter.Outcome> outcomes =
          writer.logRun(stored, request.deviceId(), request.actor(), now);
      for (ArchiveWriter.Outcome o : outcomes) {
        if (o.status() == IngestStatus.INGESTED && o.ledgerIndex() >= 0) {
          logged = true;
          break;
        }
      }
      List<IngestedRecording> done = new ArrayList<>(group.size());
      for (int i = 0; i < group.size(); i++) {
        done.add(row(group.get(i).probed(), outcomes.get(i), request, now, offset));
      }
      done = retain(log, done, request, now, offset, retained);
      for (int i = 0; i < group.size(); i++) {
        rows.put(group.get(i).probed(), done.get(i));
      }
    }
  }

  private static List<String> keys(List<RetentionFacts.Recording> facts) {
    List<String> out = new ArrayList<>(facts.size());
    for (RetentionFacts.Recording r : facts) {
      out.add(r.id());
    }
    return out;
  }

  /** Clocks of cameras and stations agree to about this much. */
  private static final Duration TOLERANCE = Duration.ofMinutes(1);

  /** Decides and pushes down retention for every recording that is in the store now. */
  private List<IngestedRecording> retain(
      EvidenceLedger log,
      List<IngestedRecording> rows,
      IngestRequest request,
      Instant now,
      @Nullable Duration offset,
      Set<String> keys) {
    List<RetentionFacts.Recording> facts = new ArrayList<>();
    Set<String> sealCases = new java.util.LinkedHashSet<>();
    for (IngestedRecording r : rows) {
      if (r.seal().isEmpty() || r.key().isEmpty() || !keys.add(r.key().get())) {
        continue;
      }
      Seal s = r.seal().get();
      Instant basis = basis(r, now, offset);
      RetentionFacts.Recording.Builder rf =
          RetentionFacts.Recording.builder(r.key().get())
              .recordingEnd(basis)
              .ingestTime(s.metadata().flatMap(RecordingMetadata::ingestTime).orElse(now))
              .mediaType(r.placement().map(Placement::mediaType).orElse("application/octet-stream"))
              .objectKey(r.key().get())
              .sealRoot(s.root(s.suite().algorithms().get(0)).hex());
      List<String> sealed = s.metadata().map(RecordingMetadata::caseIds).orElse(List.of());
      sealed.forEach(rf::addCaseId);
      sealCases.addAll(sealed);
      request.caseIds().forEach(rf::addCaseId);
      facts.add(rf.build());
    }
    if (facts.isEmpty()) {
      return rows;
    }
    List<RetentionFacts.Case> cases = openCases(request);
    for (String c : sealCases) {
      if (!request.caseIds().contains(c)) {
        // A case the seal in force names (an earlier ingest's) and this request does not: its
        // class is not recorded, so it is held open as any case is at ingest; a permanent decision
        // made for it then stays permanent through the history.
        cases.add(new RetentionFacts.Case(c, IngestRequest.DEFAULT_CASE_CLASS, null));
      }
    }
    RetentionFacts rfacts = RetentionFacts.of(facts, cases);
    // Decided with the archive's history (marks only rise, holds placed through the ledger
    // count) and recorded in it, so that no later plan can decide shorter.
    List<RetentionDecision> decisions;
    List<IngestFinding> historyProblem = new ArrayList<>();
    try {
      RetentionHistory history = historyOf(log).read(keys(facts));
      decisions = RetentionEngine.decideAll(policy, rfacts, history, now);
      history.recordAll(log, request.actor(), decisions);
    } catch (IOException e) {
      decisions = RetentionEngine.decideAll(policy, rfacts, RetentionHistory.empty(), now);
      historyProblem.add(
          new IngestFinding(
              IngestCodes.RETENTION_NOT_APPLIED,
              IngestFinding.Severity.ERROR,
              "the retention history could not be read or recorded ("
                  + e.getMessage()
                  + "); decided without it"));
    }
    List<RetentionPushDown.Result> pushed = RetentionPushDown.apply(store, rfacts, decisions);
    java.util.Map<String, Integer> decided = new java.util.HashMap<>();
    for (int j = 0; j < decisions.size(); j++) {
      decided.put(decisions.get(j).recordingId(), j);
    }
    List<IngestedRecording> out = new ArrayList<>(rows.size());
    for (IngestedRecording r : rows) {
      Integer i = r.seal().isPresent() ? decided.get(r.key().orElse("")) : null;
      if (i == null) {
        out.add(r);
        continue;
      }
      RetentionPushDown.Result applied = pushed.get(i);
      List<IngestFinding> more = new ArrayList<>(historyProblem);
      if (applied.enforcement() == RetentionPushDown.Enforcement.FAILED
          || applied.enforcement() == RetentionPushDown.Enforcement.EXPIRED) {
        more.add(
            new IngestFinding(
                IngestCodes.RETENTION_NOT_APPLIED,
                IngestFinding.Severity.ERROR,
                applied.message()));
      }
      out.add(
          r.withRetention(
              new RetentionOutcome(
                  decisions.get(i),
                  basis(r, now, offset),
                  applied.enforcement(),
                  applied.message()),
              more));
    }
    return out;
  }

  /**
   * Retention counts from the later of the clock-corrected recording end and the trusted ingest
   * time: a container that claims 2001, or a camera clock years off, cannot make evidence expire on
   * the day it is ingested.
   */
  private static Instant basis(IngestedRecording r, Instant now, @Nullable Duration offset) {
    Instant ingested =
        r.seal().flatMap(Seal::metadata).flatMap(RecordingMetadata::ingestTime).orElse(now);
    return basis(r.placement(), ingested, offset);
  }

  private static Instant basis(
      Optional<Placement> placement, Instant ingested, @Nullable Duration offset) {
    Optional<Instant> end = placement.flatMap(Placement::end);
    if (end.isEmpty()) {
      return ingested;
    }
    Instant trueEnd = offset == null ? end.get() : end.get().minus(offset);
    return trueEnd.isAfter(ingested) ? trueEnd : ingested;
  }

  private @Nullable ContinuityReport analyze(
      List<IngestedRecording> rows, IngestRequest request, Instant now, @Nullable Duration offset) {
    List<RecordingSpan> spans = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (IngestedRecording r : rows) {
      // A file the station holds but failed to store is in the analysis too: the camera recorded
      // it and it was handed in, so it is neither deleted nor withheld; its row says it failed.
      if (r.key().isEmpty()
          || r.placement().isEmpty()
          || !r.placement().get().placed()
          || !keys.add(r.key().get())) {
        continue;
      }
      Instant ingested =
          r.seal().flatMap(Seal::metadata).flatMap(RecordingMetadata::ingestTime).orElse(now);
      spans.add(
          mapping.span(
              r.key().get(),
              r.placement().get(),
              request.deviceId(),
              request.officerId(),
              offset,
              ingested));
    }
    return spans.isEmpty()
        ? null
        : ContinuityAnalyzer.create().analyze(spans, List.of(), List.of());
  }

  /** Builds a station; every setting may be made once. */
  public static final class Builder {
    private @Nullable EvidenceStore store;
    private @Nullable SigningKeyProvider signer;
    private @Nullable TimestampAuthority tsa;
    private @Nullable RetentionPolicy policy;
    private @Nullable TrustedClock clock;
    private @Nullable Clock wall;
    private @Nullable Duration clockTolerance;
    private @Nullable ObjectKeyLayout layout;
    private @Nullable TimelineMapping mapping;
    private @Nullable SealSuite suite;
    private @Nullable AeadSuite aead;
    private @Nullable KeyEncryptionKey kek;
    private @Nullable MediaProbe probe;
    private @Nullable IngestListener listener;

    private Builder() {}

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " is already set");
      }
    }

    /** Where recordings, seals and the ledger go (required). The caller closes it. */
    public Builder store(EvidenceStore store) {
      once(this.store, "store");
      this.store = requireNonNull(store, "store");
      return this;
    }

    /** Signs every seal (default: seals are not signed). */
    public Builder signer(SigningKeyProvider signer) {
      once(this.signer, "signer");
      this.signer = requireNonNull(signer, "signer");
      return this;
    }

    /**
     * Timestamps every signature (RFC 3161); needs a {@link #signer}. A token whose time is more
     * than {@link #clockTolerance} from the station's clock leaves its recording {@link
     * IngestStatus#INCOMPLETE}, stored but not logged, until a re-run with the clocks set right.
     */
    public Builder timestampAuthority(TimestampAuthority tsa) {
      once(this.tsa, "timestampAuthority");
      this.tsa = requireNonNull(tsa, "tsa");
      return this;
    }

    /** The retention policy (default: the regulation's floor, Art. 19). */
    public Builder retentionPolicy(RetentionPolicy policy) {
      once(this.policy, "retentionPolicy");
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The trusted clock for ingest times (default: the system clock). Whatever the clock, no run
     * takes a time more than {@link #clockTolerance} before the ledger's latest time; on the
     * default, or a {@link #clock} given, which no one vouches for, none takes a time more than 31
     * days after it either (a {@link ClockRefusedException}) until a named person accepts the jump,
     * which the ledger logs; a trusted clock asks for that acceptance itself, and one that reads
     * further on with none logged is refused the same way (the ledger would not log its entries).
     */
    public Builder trustedClock(TrustedClock clock) {
      once(this.clock, "trustedClock");
      if (wall != null) {
        throw new IllegalStateException("give trustedClock or clock, not both");
      }
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A plain clock for ingest times (tests, simulations, a station's own time source), checked
     * against the ledger as the default one is: no run takes a time more than {@link
     * #clockTolerance} before the ledger's latest time, nor more than 31 days after it until a
     * named person has accepted the jump in the ledger (a {@code clock-jump-accepted} entry, as
     * {@code HighWaterMarkClock.acceptJump} logs it); a {@link ClockRefusedException} otherwise,
     * and nothing is stored.
     */
    public Builder clock(Clock clock) {
      once(this.wall, "clock");
      if (this.clock != null) {
        throw new IllegalStateException("give trustedClock or clock, not both");
      }
      this.wall = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far the clock may read before the ledger's latest time (default {@link
     * #DEFAULT_CLOCK_TOLERANCE}): within it, the ledger's time is taken; beyond it the run is
     * refused. With a {@link #timestampAuthority}, also how far each token's time may be from the
     * station's clock when it arrives: a seal whose token is further off is not logged ({@link
     * SealSigner#checkTimestampTime}), as one that got no token is not.
     */
    public Builder clockTolerance(Duration tolerance) {
      once(this.clockTolerance, "clockTolerance");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("clockTolerance is negative");
      }
      this.clockTolerance = tolerance;
      return this;
    }

    /** Where recordings go in the store (default {@link ObjectKeyLayout#byDeviceAndDay()}). */
    public Builder keyLayout(ObjectKeyLayout layout) {
      once(this.layout, "keyLayout");
      this.layout = requireNonNull(layout, "layout");
      return this;
    }

    /** How recordings are placed in time (default: file-name times in the policy's zone). */
    public Builder timelineMapping(TimelineMapping mapping) {
      once(this.mapping, "timelineMapping");
      this.mapping = requireNonNull(mapping, "mapping");
      return this;
    }

    /** The seal suite (default {@link SealSuite#SHA256_SM3}). */
    public Builder suite(SealSuite suite) {
      once(this.suite, "suite");
      this.suite = requireNonNull(suite, "suite");
      return this;
    }

    /** Stores recordings encrypted at rest, the data keys wrapped by {@code kek}. */
    public Builder encryption(AeadSuite suite, KeyEncryptionKey kek) {
      once(this.aead, "encryption");
      this.aead = requireNonNull(suite, "suite");
      this.kek = requireNonNull(kek, "kek");
      return this;
    }

    /** The media probe (default {@link MediaProbe#create()}). */
    public Builder mediaProbe(MediaProbe probe) {
      once(this.probe, "mediaProbe");
      this.probe = requireNonNull(probe, "probe");
      return this;
    }

    /** Progress of each run. */
    public Builder listener(IngestListener listener) {
      once(this.listener, "listener");
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The station.
     *
     * @throws IllegalStateException naming the missing or conflicting setting
     */
    public IngestStation build() {
      if (store == null) {
        throw new IllegalStateException("store is required");
      }
      if (tsa != null && signer == null) {
        throw new IllegalStateException("timestampAuthority needs a signer");
      }
      return new IngestStation(this);
    }
  }
}
