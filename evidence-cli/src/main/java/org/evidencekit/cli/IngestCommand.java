package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionEngine;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.RetentionPushDown;
import org.evidencekit.seal.GeoPosition;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.trust.HttpTimestampAuthority;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.evidencekit.video.TimelineGap;
import org.evidencekit.video.TrackTimeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code evidence ingest}: the ingest station's job (Art. 17, R-07, R-08, R-14, R-16): probe, seal,
 * sign, store, log and retain every file of a device, idempotently.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "The ingest station's job (Art. 17): probe each file's timeline, seal it (SHA-256 and SM3),"
          + " bind the device, officer, case and clock offset, sign and timestamp it, store"
          + " recording and seal, log it in the ledger, chain it to the device's previous seal,"
          + " decide its retention and push it down to the store.",
      "Idempotent: a file already ingested is recognised and not stored twice; an ingest that"
          + " stopped part-way is completed. Nothing half-written is ever visible.",
      "Exit 0 when all went in without an error finding, 1 with findings (late upload, cut,"
          + " missing file, a key taken by other bytes), 2 for bad input."
    },
    footer = {
      "",
      "Keys are DEVICE/YYYY-MM-DD/FILE (the recording's local day in Asia/Shanghai).",
      "",
      "Examples:",
      "  evidence ingest /media/DEVCAM7/DCIM --store /srv/evidence --device DEVCAM7 \\",
      "      --officer police-0042 --case ZZ-2023-0042 --key station.pem \\",
      "      --device-clock 2023-06-01T16:02:05Z",
      "  evidence ingest DEVCAM7_*.mp4 --store 's3://evidence/bureau-7?endpoint=http://rgw:7480' \\",
      "      --device DEVCAM7 --officer police-0042 --json"
    })
final class IngestCommand implements Callable<Integer> {
  private static final Pattern SEQUENCE =
      Pattern.compile("^[A-Za-z0-9-]+_\\d{8}_\\d{6}_(\\d{1,6})\\.[A-Za-z0-9]+$");
  private static final Pattern ISO6709 =
      Pattern.compile("^([+-]\\d{1,3}(?:\\.\\d{1,12})?)([+-]\\d{1,3}(?:\\.\\d{1,12})?)");

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "DIR|FILE",
      description = "Recordings, or folders of them (searched recursively; seal files skipped).")
  List<Path> inputs;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description =
          "A folder (created if missing) or a URI: file:…, s3://bucket/prefix?endpoint=URL.")
  String store;

  @Option(names = "--device", required = true, paramLabel = "ID", description = "Device id.")
  String device;

  @Option(names = "--officer", required = true, paramLabel = "ID", description = "Officer id.")
  String officer;

  @Option(names = "--case", paramLabel = "ID", description = "Case id (repeatable).")
  List<String> cases = new ArrayList<>();

  @Option(
      names = "--case-class",
      defaultValue = "10y",
      paramLabel = "CLASS",
      description =
          "Retention class of the cases' files (10y, 30y, permanent; default ${DEFAULT-VALUE}). A"
              + " case is open at ingest: its recordings are held until it is archived (Art. 19).")
  String caseClass;

  @Option(
      names = "--device-clock",
      paramLabel = "ISO",
      description =
          "The time the device's clock showed at docking, e.g. 2023-06-01T16:02:05Z; the offset"
              + " to this station's clock is recorded in every seal (R-08).")
  String deviceClock;

  @Option(
      names = "--clock-offset-ms",
      paramLabel = "MS",
      description = "The device clock minus trusted time, if measured otherwise.")
  Long clockOffsetMs;

  @Option(names = "--key", paramLabel = "KEY", description = "Signing key (PEM or PKCS#12).")
  Path key;

  @Option(names = "--cert", paramLabel = "CERT", description = "Certificate of the key (PEM).")
  Path cert;

  @Option(names = "--tsa", paramLabel = "URL", description = "RFC 3161 time-stamp authority.")
  java.net.URI tsa;

  @Option(
      names = "--policy",
      paramLabel = "P.json",
      description = "Retention policy (default: the regulation's floor, Art. 19).")
  Path policy;

  @Option(
      names = "--suite",
      defaultValue = "sha256+sm3",
      description = "sha256, sm3 or sha256+sm3 (default).")
  String suite;

  @Option(
      names = "--actor",
      defaultValue = "ingest-station",
      description = "Who runs the ingest, for the ledger (default: ${DEFAULT-VALUE}).")
  String actor;

  @Option(
      names = "--encrypt",
      paramLabel = "SUITE",
      description = "Store recordings encrypted at rest: aes-256-gcm or sm4-gcm (needs --kek).")
  String encrypt;

  @picocli.CommandLine.Mixin CryptCommands.KekOptions kek = new CryptCommands.KekOptions();

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing but errors; the exit code tells.")
  boolean quiet;

  /** One file's outcome. */
  static final class Row {
    String file;
    String status;
    String key;
    long size;
    double seconds;
    Instant start;
    Instant end;
    Instant retainUntil;
    boolean held;
    boolean permanent;
    String enforcement = "";
    final List<String> findings = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
  }

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    List<Path> files = expand(inputs, Stores.isUri(store) ? null : Path.of(store));
    if (files.isEmpty()) {
      throw new EvidenceCommand.UsageException("no recordings found in " + inputs);
    }
    SealSuite s =
        SealSuite.forName(suite)
            .orElseThrow(
                () ->
                    new EvidenceCommand.UsageException(
                        "unknown suite '" + suite + "': use sha256, sm3 or sha256+sm3"));
    Long offset = clockOffset(now);
    if ((encrypt == null) == kek.given()) {
      throw new EvidenceCommand.UsageException("--encrypt and --kek go together");
    }
    org.evidencekit.crypt.AeadSuite aead =
        encrypt == null
            ? null
            : org.evidencekit.crypt.AeadSuite.forId(encrypt)
                .orElseThrow(
                    () ->
                        new EvidenceCommand.UsageException(
                            "unknown suite '" + encrypt + "' (aes-256-gcm or sm4-gcm)"));
    org.evidencekit.crypt.KeyEncryptionKey kekKey = aead == null ? null : kek.read();
    if ((cert != null || tsa != null) && key == null) {
      throw new EvidenceCommand.UsageException("--cert and --tsa need --key");
    }
    SigningKeyProvider signer = key == null ? null : Trust.readKey(key, cert);
    RetentionPolicy retentionPolicy = RetentionCommand.Inputs.policy(policy);
    ZoneId zone = retentionPolicy.zone();
    for (String c : cases) {
      if (c.isBlank()) {
        throw new EvidenceCommand.UsageException("--case is empty");
      }
    }

    MediaProbe probe = MediaProbe.create();
    List<Row> rows = new ArrayList<>();
    List<RecordingSpan> spans = new ArrayList<>();
    List<RetentionFacts.Recording> facts = new ArrayList<>();
    Map<String, Row> byKey = new java.util.HashMap<>();
    PrintWriter err = spec.commandLine().getErr();
    try (EvidenceStore st = Stores.open(store, true)) {
      EvidenceArchive archive = EvidenceArchive.open(st, Clock.systemUTC());
      Map<String, EvidenceArchive.Sealed> existing = archive.sealedRecordings();
      String previousDigest = latestSealOfDevice(archive, existing);
      // probe first, so the files can be sealed in recording order (the device chain's order)
      List<Probed> probed = new ArrayList<>();
      for (Path f : files) {
        probed.add(probe(probe, f, now));
      }
      probed.sort(
          Comparator.comparing((Probed p) -> p.start == null ? Instant.MAX : p.start)
              .thenComparing(p -> p.file.getFileName().toString()));
      for (Probed p : probed) {
        Row row = p.row;
        rows.add(row);
        Instant day = p.start != null ? p.start : now;
        row.key =
            device
                + "/"
                + DateTimeFormatter.ISO_LOCAL_DATE.format(day.atZone(zone))
                + "/"
                + p.file.getFileName();
        try {
          org.evidencekit.storage.ObjectKey.of(row.key);
        } catch (IllegalArgumentException e) {
          row.status = "FAILED";
          row.findings.add("BAD_NAME " + e.getMessage());
          continue;
        }
        ProgressBar bar =
            ProgressBar.maybe(err, "ingesting " + p.file.getFileName(), row.size, quiet || json);
        Sealer.Builder sb = Sealer.builder().suite(s);
        if (bar != null) {
          sb.progress(bar);
        }
        Sealer sealer = sb.build();
        RecordingMetadata.Builder md =
            RecordingMetadata.builder()
                .deviceId(device)
                .officerId(officer)
                .ingestTime(now)
                .originalFileName(p.file.getFileName().toString())
                .mediaType(p.mediaType);
        cases.forEach(md::addCaseId);
        if (p.start != null) {
          md.recordingStart(p.start).recordingEnd(p.end);
        }
        if (offset != null) {
          md.clockOffsetMillis(offset);
        }
        if (p.position != null) {
          md.addPosition(p.position);
        }
        if (previousDigest != null) {
          md.previousSealDigest(previousDigest);
        }
        RecordingMetadata metadata = md.build();
        EvidenceArchive.SealFinisher finish =
            raw -> {
              Seal bound = raw.withMetadata(metadata);
              return signer == null
                  ? bound
                  : SealSigner.sign(
                      bound, signer, tsa == null ? null : HttpTimestampAuthority.create(tsa));
            };
        Seal inForce;
        try {
          if (aead != null) {
            Seal seal = finish.finish(sealer.seal(p.file));
            inForce = ingestEncrypted(archive, existing, row, p.file, seal, aead, kekKey);
          } else {
            // one read: sealed while it is copied into the store
            EvidenceArchive.IngestOutcome o =
                archive.ingestOnce(row.key, p.file, sealer, finish, actor);
            inForce = o.seal();
            row.status =
                switch (o.status()) {
                  case INGESTED -> "INGESTED";
                  case RESUMED -> "RESUMED";
                  case ALREADY_INGESTED -> "ALREADY";
                };
          }
        } catch (ObjectExistsException e) {
          row.status = "CONFLICT";
          row.findings.add("KEY_TAKEN " + e.getMessage());
          continue;
        } finally {
          if (bar != null) {
            bar.finish();
          }
        }
        previousDigest = inForce.digest().hex();
        if (byKey.putIfAbsent(row.key, row) != null) {
          continue; // the same recording named twice in this run: analysed and retained once
        }
        RecordingSpan.Builder span =
            RecordingSpan.builder(p.file.getFileName().toString())
                .deviceId(device)
                .officerId(officer)
                .start(p.start != null ? p.start : now)
                .end(p.end != null ? p.end : now)
                .ingestTime(inForce.metadata().flatMap(RecordingMetadata::ingestTime).orElse(now));
        p.gaps.forEach(span::addInternalGap);
        p.containerFindings.forEach(span::addContainerFinding);
        if (p.sequence != null) {
          span.sequence(p.sequence);
        }
        inForce
            .metadata()
            .flatMap(RecordingMetadata::clockOffsetMillis)
            .ifPresent(ms -> span.clockOffset(Duration.ofMillis(ms)));
        if (p.start != null) {
          spans.add(span.build());
        }
        RetentionFacts.Recording.Builder rf =
            RetentionFacts.Recording.builder(row.key)
                .recordingEnd(p.end != null ? p.end : now)
                .ingestTime(now)
                .mediaType(p.mediaType)
                .objectKey(row.key)
                .sealRoot(inForce.root(inForce.suite().algorithms().get(0)).hex());
        cases.forEach(rf::addCaseId);
        facts.add(rf.build());
      }
      // retention: decided for every recording that is in the store now, pushed down (Art. 19)
      List<RetentionFacts.Case> open = new ArrayList<>();
      for (String c : cases) {
        open.add(new RetentionFacts.Case(c, caseClass, null));
      }
      RetentionFacts rfacts = RetentionFacts.of(facts, open);
      List<RetentionDecision> decisions =
          RetentionEngine.decideAll(retentionPolicy, rfacts, RetentionHistory.empty(), now);
      List<RetentionPushDown.Result> pushed = RetentionPushDown.apply(st, rfacts, decisions);
      for (int i = 0; i < decisions.size(); i++) {
        RetentionDecision d = decisions.get(i);
        RetentionPushDown.Result applied = pushed.get(i);
        for (Row r : rows) {
          if (!d.recordingId().equals(r.key)) {
            continue;
          }
          r.permanent = d.permanent();
          r.held = !d.openEvents().isEmpty() || !d.holdsInForce().isEmpty();
          r.retainUntil = d.retainUntil().orElse(null);
          r.enforcement = applied.enforcement().name();
          if (applied.enforcement() == RetentionPushDown.Enforcement.EXPIRED) {
            r.notes.add("RETENTION_ENDED " + applied.message());
          } else if (applied.enforcement() == RetentionPushDown.Enforcement.FAILED) {
            r.findings.add("RETENTION_NOT_APPLIED " + applied.message());
          }
        }
      }
    }
    ContinuityReport continuity =
        spans.isEmpty() ? null : ContinuityAnalyzer.create().analyze(spans, List.of(), List.of());
    boolean problems =
        rows.stream().anyMatch(r -> !r.findings.isEmpty() || r.status.equals("CONFLICT"))
            || (continuity != null && continuity.hasErrors());
    if (json) {
      printJson(rows, continuity, offset);
    } else if (!quiet) {
      printTable(rows, continuity, offset, retentionPolicy.zone());
    }
    return problems ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
  }

  private Seal ingestEncrypted(
      EvidenceArchive archive,
      Map<String, EvidenceArchive.Sealed> existing,
      Row row,
      Path file,
      Seal seal,
      org.evidencekit.crypt.AeadSuite aead,
      org.evidencekit.crypt.KeyEncryptionKey kekKey)
      throws IOException {
    org.evidencekit.storage.ObjectKey k = org.evidencekit.storage.ObjectKey.of(row.key);
    if (existing.containsKey(row.key)) {
      Seal stored = archive.seal(row.key);
      if (stored.length() == seal.length()
          && stored
              .root(stored.suite().algorithms().get(0))
              .equals(seal.root(stored.suite().algorithms().get(0)))) {
        row.status = "ALREADY";
        return stored;
      }
      throw new ObjectExistsException(row.key + " is taken by a different recording");
    }
    if (archive.store().exists(k)
        || archive.store().exists(org.evidencekit.storage.ObjectKey.of(row.key + ".seal.json"))) {
      throw new ObjectExistsException(
          row.key
              + " holds objects of an encrypted ingest that stopped part-way and was never"
              + " logged; check them with 'evidence sweep' before ingesting again");
    }
    archive.ingestEncrypted(row.key, file, seal, aead, kekKey, actor);
    row.status = "INGESTED";
    return seal;
  }

  /** The digest of the device's latest sealed recording, for the device chain. */
  private String latestSealOfDevice(
      EvidenceArchive archive, Map<String, EvidenceArchive.Sealed> existing) throws IOException {
    String best = null;
    Instant bestStart = null;
    for (Map.Entry<String, EvidenceArchive.Sealed> e : existing.entrySet()) {
      if (!e.getKey().startsWith(device + "/")) {
        continue;
      }
      Seal s = archive.seal(e.getKey());
      if (!EvidenceArchive.device(s).map(device::equals).orElse(false)) {
        continue;
      }
      Instant st = EvidenceArchive.recordingStart(s).orElse(Instant.MIN);
      if (bestStart == null || st.isAfter(bestStart)) {
        bestStart = st;
        best = s.digest().hex();
      }
    }
    return best;
  }

  private Long clockOffset(Instant now) {
    if (deviceClock != null && clockOffsetMs != null) {
      throw new EvidenceCommand.UsageException(
          "give --device-clock or --clock-offset-ms, not both");
    }
    if (clockOffsetMs != null) {
      return clockOffsetMs;
    }
    if (deviceClock == null) {
      return null;
    }
    try {
      Instant shown = Instant.parse(deviceClock);
      return Duration.between(now, shown).toMillis();
    } catch (DateTimeParseException e) {
      throw new EvidenceCommand.UsageException(
          "--device-clock '" + deviceClock + "' is not an ISO instant like 2023-06-01T16:02:05Z");
    }
  }

  /** What probing one file gave. */
  private static final class Probed {
    Path file;
    Row row;
    Instant start;
    Instant end;
    Integer sequence;
    String mediaType = "application/octet-stream";
    GeoPosition position;
    final List<Interval> gaps = new ArrayList<>();
    final List<String> containerFindings = new ArrayList<>();
  }

  private Probed probe(MediaProbe probe, Path f, Instant now) throws IOException {
    Probed p = new Probed();
    p.file = f;
    p.row = new Row();
    p.row.file = f.toString();
    p.row.size = Files.size(f);
    Matcher m = SEQUENCE.matcher(f.getFileName().toString());
    if (m.matches()) {
      p.sequence = Integer.parseInt(m.group(1));
    }
    RecordingTimeline t;
    try {
      t = probe.probe(f);
    } catch (MediaFormatException e) {
      p.row.findings.add("NOT_MEDIA " + e.getMessage() + " (sealed and stored as it is)");
      return p;
    }
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    p.mediaType =
        name.endsWith(".mov")
            ? "video/quicktime"
            : t.track("vide").isPresent() ? "video/mp4" : "audio/mp4";
    p.row.seconds = t.durationSeconds();
    Optional<Instant> created = t.creationTime();
    if (created.isPresent()) {
      p.start = created.get();
      p.end = p.start.plusNanos((long) (t.durationSeconds() * 1e9));
      p.row.start = p.start;
      p.row.end = p.end;
      TrackTimeline main = t.track("vide").or(() -> t.track("soun")).orElse(null);
      if (main != null) {
        for (TimelineGap g : main.gaps()) {
          p.gaps.add(
              new Interval(
                  p.start.plusNanos((long) (g.fromSeconds() * 1e9)),
                  p.start.plusNanos((long) (g.toSeconds() * 1e9))));
        }
      }
    } else {
      p.row.findings.add("NO_CREATION_TIME the container does not say when it was recorded");
    }
    for (MediaFinding mf : t.findings()) {
      if (mf.benign()) {
        p.row.notes.add(mf.code() + " " + mf.message());
        continue;
      }
      p.containerFindings.add(mf.code());
      p.row.findings.add(mf.code() + " " + mf.message());
    }
    t.location()
        .ifPresent(
            loc -> {
              Matcher g = ISO6709.matcher(loc);
              if (g.find()) {
                try {
                  p.position =
                      GeoPosition.of(
                          strip(g.group(1)), strip(g.group(2)), t.gpsTime().orElse(p.start));
                } catch (IllegalArgumentException ignored) {
                  p.row.findings.add("BAD_LOCATION " + loc);
                }
              }
            });
    return p;
  }

  private static String strip(String signed) {
    return signed.startsWith("+") ? signed.substring(1) : signed;
  }

  /** The files to ingest; a store folder inside an input folder is left out. */
  private static List<Path> expand(List<Path> inputs, Path storeDir) throws IOException {
    List<Path> out = new ArrayList<>();
    Path skip = storeDir == null ? null : storeDir.toAbsolutePath().normalize();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.walk(in)) {
          s.filter(Files::isRegularFile)
              .filter(p -> skip == null || !p.toAbsolutePath().normalize().startsWith(skip))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(p -> !p.getFileName().toString().endsWith(".seal.json"))
              .sorted()
              .forEach(out::add);
        }
      } else {
        Cli.readableFile(in, "recording");
        out.add(in);
      }
    }
    return out;
  }

  static String retentionText(Row r, ZoneId zone) {
    if (r.permanent) {
      return "permanent";
    }
    if (r.held) {
      return "held (open case)";
    }
    return r.retainUntil == null ? "" : RetentionCommand.local(r.retainUntil, zone);
  }

  private void printTable(List<Row> rows, ContinuityReport continuity, Long offset, ZoneId zone) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "ingested into %s for device %s, officer %s%s%n",
        Stores.location(store),
        device,
        officer,
        offset == null ? "" : String.format(Locale.ROOT, ", device clock %+d ms", offset));
    out.printf(
        Locale.ROOT,
        "%-9s %-44s %9s %8s %-20s %-18s %s%n",
        "STATUS",
        "KEY",
        "SIZE",
        "LENGTH",
        "RECORDED (UTC)",
        "RETAIN UNTIL",
        "ENFORCED BY");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-9s %-44s %9s %7.1fs %-20s %-18s %s%n",
          r.status,
          r.key,
          Cli.humanBytes(r.size),
          r.seconds,
          r.start == null ? "-" : r.start.toString().replace("T", " ").replace("Z", ""),
          retentionText(r, zone),
          r.enforcement);
      for (String f : r.findings) {
        out.println("          ! " + f);
      }
      for (String f : r.notes) {
        out.println("            " + f);
      }
    }
    if (continuity != null && !continuity.findings().isEmpty()) {
      out.println("findings across the files:");
      for (ContinuityFinding f : continuity.findings()) {
        out.printf(
            Locale.ROOT,
            "  %-7s %-16s %-10s %s%n",
            f.severity(),
            f.code(),
            f.article(),
            f.message());
      }
    }
    long n = rows.stream().filter(r -> r.status.equals("INGESTED")).count();
    long again = rows.stream().filter(r -> r.status.equals("ALREADY")).count();
    long resumed = rows.stream().filter(r -> r.status.equals("RESUMED")).count();
    out.printf(
        Locale.ROOT,
        "%d ingested, %d resumed, %d already there, %d failed%n",
        n,
        resumed,
        again,
        rows.size() - n - again - resumed);
    out.flush();
  }

  private void printJson(List<Row> rows, ContinuityReport continuity, Long offset)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store", Stores.location(store));
    m.put("device", device);
    m.put("officer", officer);
    if (offset != null) {
      m.put("clockOffsetMillis", offset);
    }
    List<Object> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("file", r.file);
      o.put("status", r.status);
      o.put("key", r.key);
      o.put("size", r.size);
      o.put("seconds", r.seconds);
      if (r.start != null) {
        o.put("recordingStart", r.start.toString());
        o.put("recordingEnd", r.end.toString());
      }
      o.put("retainUntil", r.retainUntil == null ? null : r.retainUntil.toString());
      o.put("held", r.held);
      o.put("permanent", r.permanent);
      o.put("enforcement", r.enforcement);
      o.put("findings", r.findings);
      o.put("notes", r.notes);
      list.add(o);
    }
    m.put("recordings", list);
    if (continuity != null) {
      m.put(
          "continuity",
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readValue(continuity.toJson(), Object.class));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        new String(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(m),
            StandardCharsets.UTF_8));
    out.flush();
  }
}
