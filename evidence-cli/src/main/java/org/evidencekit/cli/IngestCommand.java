package org.evidencekit.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.evidencekit.continuity.DeviceFacts;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestResult;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ingest.IngestStatus;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.HttpTimestampAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code evidence ingest}: parses the options into an {@link IngestRequest}, runs an {@link
 * IngestStation} and prints its result. Every rule lives in the library.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "The ingest station's job (Art. 17): probe each file's timeline, seal it (SHA-256 and SM3),"
          + " bind the device, officer, case and clock offset, sign and timestamp it, store"
          + " recording and seal, log it in the ledger, chain it to the device's previous seal,"
          + " decide its retention and push it down to the store.",
      "Idempotent and safe to run from many stations at once: a file already ingested is"
          + " ALREADY, an ingest that stopped part-way is completed (RESUMED). Nothing"
          + " half-written is ever visible.",
      "Exit 0 when all went in without an error finding, 1 with findings (late upload, cut,"
          + " missing file, a key taken by other bytes, a file that could not be stored), 2 when"
          + " nothing could be stored or the arguments are unusable."
    },
    footer = {
      "",
      "Keys are DEVICE/YYYY-MM-DD/FILE (the recording's local day in the policy's zone,"
          + " Asia/Shanghai by default; DEVICE/undated/FILE when nothing says when it was made).",
      "",
      "Examples:",
      "  evidence ingest /media/DEVCAM7/DCIM --store /srv/evidence --device DEVCAM7 \\",
      "      --officer police-0042 --case ZZ-2023-0042 --key station.pem \\",
      "      --device-clock 2023-06-01T16:02:05Z",
      "  evidence ingest DEVCAM7_*.mp4 --store 's3://evidence/bureau-7?endpoint=http://rgw:7480' \\",
      "      --device DEVCAM7 --officer police-0042 --json"
    })
final class IngestCommand extends PlainCommand {
  @Parameters(
      arity = "1..*",
      paramLabel = "DIR|FILE",
      description =
          "Recordings, or folders of them (searched recursively; what is skipped is listed).")
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
      paramLabel = "CLASS",
      description =
          "Retention class of the cases' files (10y, 30y, permanent; default 10y). A case is open"
              + " at ingest: its recordings are held until it is archived (Art. 19).")
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
      paramLabel = "ID",
      description = "Who runs the ingest, for the ledger (default: ingest-station).")
  String actor;

  @Option(
      names = "--encrypt",
      paramLabel = "SUITE",
      description = "Store recordings encrypted at rest: aes-256-gcm or sm4-gcm (needs --kek).")
  String encrypt;

  @Mixin CryptCommands.KekOptions kek = new CryptCommands.KekOptions();

  @Mixin ClockOptions clock = new ClockOptions();

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing but errors; the exit code tells.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    SealSuite s =
        SealSuite.forName(suite)
            .orElseThrow(
                () -> usage("unknown suite '" + suite + "': use sha256, sm3 or sha256+sm3"));
    if ((encrypt == null) == kek.given()) {
      throw usage("--encrypt and --kek go together");
    }
    if ((cert != null || tsa != null) && key == null) {
      throw usage("--cert and --tsa need --key");
    }
    if (deviceClock != null && clockOffsetMs != null) {
      throw usage("give --device-clock or --clock-offset-ms, not both");
    }
    IngestRequest request = request();
    RetentionPolicy retention = RetentionCommand.Inputs.policy(policy);
    // every input is read and checked before the store is opened: a bad key or case class must
    // not leave a new, empty store
    try {
      IngestStation.checkCaseClass(request, retention);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    // an unmounted card or a mistyped folder must not look like a docking that went well, nor
    // leave a new, empty store
    Optional<IngestResult> none = IngestStation.withoutRecordings(request);
    if (none.isPresent()) {
      throw usage(nothingToIngest(none.get()));
    }
    var signer = key == null ? null : Trust.readKey(key, cert);
    var timestamps = tsa == null ? null : HttpTimestampAuthority.create(tsa);
    var aead =
        encrypt == null
            ? null
            : AeadSuite.forId(encrypt)
                .orElseThrow(
                    () -> usage("unknown suite '" + encrypt + "' (aes-256-gcm or sm4-gcm)"));
    var keyEncryptionKey = encrypt == null ? null : kek.read();
    try (EvidenceStore st = Stores.open(store, true)) {
      IngestStation.Builder b =
          IngestStation.builder().store(st).suite(s).retentionPolicy(retention);
      if (signer != null) {
        b.signer(signer);
      }
      if (timestamps != null) {
        b.timestampAuthority(timestamps);
      }
      if (aead != null) {
        b.encryption(aead, keyEncryptionKey);
      }
      if (!quiet && !json) {
        b.listener(new IngestOutput.Progress(err()));
      }
      if (clock.given()) {
        // jumps beyond the bound need a named person's acceptance, recorded in the ledger
        b.trustedClock(clock.clock(EvidenceLedger.open(st, java.time.Clock.systemUTC()), err()));
      }
      IngestResult result;
      try {
        result = b.build().ingest(request);
      } catch (org.evidencekit.retention.ClockRefusedException e) {
        if (clock.given()) {
          throw e;
        }
        // the station's own clock, which no one vouches for, is far past the ledger: say, in the
        // one line, which options let a named person vouch for it (docs/cli.md)
        String what = String.valueOf(e.getMessage());
        int advice = what.indexOf(": a named person accepts the jump"); // the library's advice
        if (advice < 0) {
          // behind the ledger: no acceptance moves a ledger's time back, so offering one
          // sent the user to an option that then said "no clock jump to accept"
          throw usage(what);
        }
        throw usage(
            what.substring(0, advice)
                + "; if it is right, name who accepts the jump: --clock-mark FILE"
                + " --accept-clock-jump-by NAME --clock-reason TEXT; else set the clock right");
      }
      if (json && !quiet) { // -q: standard output stays empty, JSON too (docs/cli.md)
        Cli.printJson(out(), IngestOutput.json(result, store));
      } else if (!quiet) {
        IngestOutput.table(out(), result, store, device, officer, retention.zone());
      }
      if (result.recordings().isEmpty()) {
        // the card was emptied between the look above and the run
        err().println("evidence: " + nothingToIngest(result));
        return EvidenceCommand.USAGE;
      }
      if (result.recordings().stream().allMatch(x -> x.status() == IngestStatus.FAILED)) {
        err().println("evidence: nothing was stored (see the findings)");
        return EvidenceCommand.USAGE;
      }
      return result.hasProblems() ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
    }
  }

  private IngestRequest request() {
    try {
      IngestRequest.Builder r = IngestRequest.builder(device, officer);
      for (Path in : inputs) {
        r.add(in);
      }
      if (!Stores.isUri(store)) {
        Path storeDir = Path.of(store).toAbsolutePath().normalize();
        for (Path in : inputs) {
          if (in.toAbsolutePath().normalize().startsWith(storeDir)) {
            throw usage(
                Cli.printable(in.toString())
                    + " is the store's folder or inside it: give the store another folder");
          }
        }
        r.exclude(Path.of(store)); // a store folder inside an input folder is no recording
      }
      cases.forEach(r::addCase);
      if (caseClass != null) {
        r.caseClass(caseClass);
      }
      if (actor != null) {
        r.actor(actor);
      }
      if (clockOffsetMs != null) {
        // the bound analyze and devices files apply: a year off is not a measurement but a typo,
        // and a typo here would be signed into every seal and lengthen retention for good
        try {
          r.clockOffset(DeviceFacts.clockOffsetMillis(clockOffsetMs));
        } catch (IllegalArgumentException e) {
          throw usage("--clock-offset-ms: " + e.getMessage());
        }
      }
      if (deviceClock != null) {
        // no one-year bound as for --clock-offset-ms: a camera whose clock reset to its factory
        // date shows a time years off, a measurement the seals record (CLOCK_OFFSET); only a
        // reading no clock shows is refused
        try {
          r.deviceClock(Instant.parse(deviceClock));
        } catch (IllegalArgumentException e) {
          throw usage("--device-clock: " + e.getMessage());
        } catch (DateTimeParseException e) {
          throw usage(
              "--device-clock '"
                  + Cli.printable(deviceClock)
                  + "' is not an ISO instant like 2023-06-01T16:02:05Z");
        }
      }
      return r.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw usage(e.getMessage());
    }
  }

  private static String nothingToIngest(IngestResult empty) {
    return "nothing to ingest: no recording found" + Cli.skippedInOneLine(empty.skipped());
  }

  private static EvidenceCommand.UsageException usage(String message) {
    return new EvidenceCommand.UsageException(message);
  }
}
