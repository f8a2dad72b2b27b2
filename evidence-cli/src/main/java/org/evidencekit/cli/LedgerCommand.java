package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.ConsistencyProof;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.InclusionProof;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LedgerReport;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.ProofBundle;
import org.evidencekit.ledger.SpotCheckCriteria;
import org.evidencekit.ledger.SpotCheckResult;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.ledger.WitnessPolicy;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = {
      "The append-only log of seals and custody events (R-07, R-17 to R-20): append, ingest,"
          + " checkpoint, prove, verify, export."
    },
    subcommands = {
      LedgerCommand.Append.class,
      LedgerCommand.Ingest.class,
      LedgerCommand.Checkpoint.class,
      WitnessCommand.class,
      LedgerCommand.Prove.class,
      LedgerCommand.Consistency.class,
      LedgerCommand.Verify.class,
      LedgerCommand.Entry.class,
      LedgerCommand.Export.class,
      RewrapCommand.class,
      LedgerCommand.CheckBundle.class,
      LedgerCommand.CheckProof.class,
      LedgerCommand.Chain.class
    })
final class LedgerCommand implements Runnable {
  /** Largest checkpoint or witness state file read; both are notes of a few hundred bytes. */
  static final long MAX_INPUT_BYTES = 256L << 20;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Opens the store a STORE argument names (a folder, which must exist, or a URI). */
  static EvidenceStore store(String spec) throws IOException {
    return Stores.open(spec, false);
  }

  static TrustAnchors trust(List<Path> pems) throws IOException {
    if (pems.isEmpty()) {
      throw new EvidenceCommand.UsageException(
          "--trust is required: the ledger key's public key or certificate (PEM)");
    }
    for (Path p : pems) {
      Cli.readableFile(p, "trust anchor");
    }
    try {
      return TrustAnchors.fromPem(pems);
    } catch (KeyFormatException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }

  static void write(PrintWriter out, Path output, byte[] json) throws IOException {
    if (output == null) {
      out.println(new String(json, StandardCharsets.UTF_8));
      out.flush();
    } else {
      Cli.writeAtomically(output, json, false);
    }
  }

  /** A number of ledger entries as the commands say it: "1 entry", "2 entries". */
  static String entries(long n) {
    return n + (n == 1 ? " entry" : " entries");
  }

  /**
   * The archive in {@code store}, its entries timed at one trusted-clock reading taken now, before
   * anything is written: a clock refused (wound forward past the bound, run backwards, no anchor)
   * leaves the store and the ledger as they were, and no entry stamped with a forged time moves the
   * ledger's latest time ahead for the next ingest or disposition to measure its jump from (R-14,
   *
   */
  static EvidenceArchive trustedArchive(EvidenceStore store, ClockOptions clock, CommandSpec spec)
      throws IOException {
    // one read of the ledger: the archive's own ledger anchors the clock, whose reading then times
    // the archive's entries (opening reads no time; only an append does). The ledger bounds every
    // entry by the system clock, the clock's own vouching too, which is logged before the reading.
    TrustedReading time = new TrustedReading();
    EvidenceArchive archive = EvidenceArchive.open(store, time, Clock.systemUTC());
    time.now = clock.trustedNow(archive.ledger(), spec.commandLine().getErr());
    return archive;
  }

  /** A clock that answers one trusted reading, once it is taken, and nothing before. */
  private static final class TrustedReading extends Clock {
    private volatile Instant now;

    @Override
    public Instant instant() {
      Instant t = now;
      if (t == null) {
        throw new IllegalStateException("the trusted clock has not been read yet");
      }
      return t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(instant(), zone);
    }
  }

  static byte[] read(Path p, String what) throws IOException {
    return Cli.readBounded(p, MAX_INPUT_BYTES, what);
  }

  @Command(
      name = "append",
      mixinStandardHelpOptions = true,
      description = {
        "Append one custody event; prints its index once it is durable.",
        "Timed by the trusted clock, as ingest and retention are: a clock more than"
            + " --max-clock-jump-days ahead of the ledger's latest entry is refused until a named"
            + " person accepts the jump (--accept-clock-jump-by NAME --clock-reason TEXT).",
        "Entries with rules of their own are written by their commands, not here: sealed (ledger"
            + " ingest), retention, hold, disposition and clock entries (evidence retention …)."
      },
      footer = {
        "",
        "Example:",
        "  evidence ledger append store --type viewed --actor officer-17 \\",
        "      --subject CAM-7/2026-03-01/rec1.mp4 --detail reason=\"case review\""
      })
  static final class Append implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(
        names = "--type",
        required = true,
        description = "Event type, e.g. viewed, handed-over.")
    String type;

    @Option(names = "--actor", required = true, description = "Who did it.")
    String actor;

    @Option(names = "--subject", required = true, description = "What it concerns (object key).")
    String subject;

    @Option(names = "--payload-digest", paramLabel = "HEX", description = "SHA-256 it concerns.")
    String payloadDigest;

    @Option(names = "--detail", paramLabel = "K=V", description = "Extra fields (repeatable).")
    Map<String, String> details = new TreeMap<>();

    @picocli.CommandLine.Mixin ClockOptions clock = new ClockOptions();

    @Override
    public Integer call() throws Exception {
      if (EntryType.isGoverned(type)) {
        throw new EvidenceCommand.UsageException(
            "'"
                + Cli.printable(type)
                + "' entries have rules of their own and are written by "
                + commandFor(type)
                + ", not by ledger append");
      }
      entry(Instant.EPOCH); // every field checked before the store is opened or the clock read
      try (EvidenceStore s = store(store)) {
        EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
        LedgerEntry e = entry(clock.trustedNow(l, spec.commandLine().getErr()));
        long index = l.append(e);
        spec.commandLine().getOut().println(index);
        spec.commandLine().getOut().flush();
      }
      return EvidenceCommand.OK;
    }

    private LedgerEntry entry(Instant time) {
      try {
        LedgerEntry.Builder b =
            LedgerEntry.builder()
                .type(type)
                .time(time)
                .actor(actor)
                .subject(subject)
                .details(details);
        if (payloadDigest != null) {
          b.payloadDigest(payloadDigest);
        }
        return b.build();
      } catch (IllegalArgumentException ex) {
        throw new EvidenceCommand.UsageException(ex.getMessage());
      }
    }

    /** The command that writes entries of a governed type, for the refusal to name. */
    private static String commandFor(String type) {
      if (type.equals(EntryType.SEALED)) {
        return "'evidence ledger ingest' (or 'evidence ingest')";
      }
      if (type.equals(EntryType.REWRAPPED)) {
        return "'evidence ledger rewrap' (the stored ciphertext checked, both keys)";
      }
      if (type.equals(EntryType.HOLD_PLACED)) {
        return "'evidence retention hold' (a named person and a reason)";
      }
      if (type.equals(EntryType.HOLD_RELEASED)) {
        return "'evidence retention release' (a named person and a reason)";
      }
      if (type.startsWith("clock-")) {
        return "the trusted clock ('--init-clock-by' / '--accept-clock-jump-by' with"
            + " '--clock-reason')";
      }
      if (type.equals(EntryType.RETENTION_DECIDED)) {
        return "'evidence ingest' (retention decided under the policy)";
      }
      return "'evidence retention plan', 'approve' and 'execute' (two approvals)";
    }
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description =
          "Store a recording and its seal (checked on the way in) and log a 'sealed' entry.",
      footer = {
        "",
        "Example:",
        "  evidence ledger ingest store rec1.mp4 --as CAM-7/2026-03-01/rec1.mp4 --actor intake-1"
      })
  static final class Ingest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Parameters(index = "1", paramLabel = "FILE", description = "The recording.")
    Path file;

    @Option(names = "--seal", description = "Its seal (default: FILE.seal.json).")
    Path seal;

    @Option(names = "--as", required = true, paramLabel = "KEY", description = "Object key.")
    String key;

    @Option(names = "--actor", required = true, description = "Who ingests it.")
    String actor;

    @Option(
        names = "--encrypt",
        paramLabel = "SUITE",
        description = "Store it encrypted at rest: aes-256-gcm or sm4-gcm (needs --kek).")
    String encrypt;

    @picocli.CommandLine.Mixin CryptCommands.KekOptions kek = new CryptCommands.KekOptions();

    @picocli.CommandLine.Mixin ClockOptions clock = new ClockOptions();

    @Override
    public Integer call() throws Exception {
      Cli.readableFile(file, "recording");
      Seal s =
          Cli.readSeal(
              seal != null ? seal : file.resolveSibling(file.getFileName() + ".seal.json"));
      if ((encrypt == null) == kek.given()) {
        throw new EvidenceCommand.UsageException("--encrypt and --kek go together");
      }
      try (EvidenceStore st = store(store)) {
        // the trusted time is read before anything is stored: a clock refused leaves the store as
        // it was, and the sealed entry cannot move the ledger's latest time ahead
        EvidenceArchive archive = trustedArchive(st, clock, spec);
        long index;
        if (encrypt != null) {
          org.evidencekit.crypt.AeadSuite suite =
              org.evidencekit.crypt.AeadSuite.forId(encrypt)
                  .orElseThrow(
                      () ->
                          new EvidenceCommand.UsageException(
                              "unknown suite '" + encrypt + "' (aes-256-gcm or sm4-gcm)"));
          index = archive.ingestEncrypted(key, file, s, suite, kek.read(), actor);
        } else {
          index = archive.ingest(key, file, s, actor);
        }
        spec.commandLine().getOut().printf("ingested %s as ledger entry %d%n", key, index);
        spec.commandLine().getOut().flush();
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description = {
        "Sign and store a checkpoint of the log as it is now, as a C2SP tlog-checkpoint signed"
            + " note (origin, size, base64 root); prints it.",
        "Signs with --key or refuses: a checkpoint of this size already signed by another key is"
            + " never handed out instead.",
        "Then, once 4,096 entries came after the newest catalog snapshot this key signed, writes"
            + " and signs one (catalog/{size}.tsv) that reports and sweeps given this key's public"
            + " key read instead of the whole ledger."
      },
      footer = {
        "",
        "Example:",
        "  evidence ledger checkpoint store --key ledger.key.pem --origin ledger.bureau-7.example/evidence"
      })
  static final class Checkpoint implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--key", required = true, description = "Ledger signing key (PEM or .p12).")
    Path key;

    @Option(
        names = "--origin",
        paramLabel = "NAME",
        description =
            "The log's name, the note's first line and signature name (default:"
                + " evidencekit.ledger/ and the key's hash).")
    String origin;

    @Option(
        names = "--json",
        description = "Print the readable JSON form (the note inside) instead of the note.")
    boolean json;

    @Option(
        names = {"-o", "--output"},
        description = "Write the checkpoint here instead of printing it.")
    Path output;

    @Override
    public Integer call() throws Exception {
      var k = Trust.readKey(key, null);
      try (EvidenceStore s = store(store)) {
        EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
        LogCheckpoint cp;
        try {
          cp = origin == null ? l.checkpoint(k) : l.checkpoint(origin, k);
        } catch (IllegalArgumentException e) {
          throw new EvidenceCommand.UsageException(e.getMessage());
        } catch (LedgerException e) {
          throw new EvidenceCommand.UsageException(e.getMessage());
        }
        if (cp.isNote()) {
          spec.commandLine()
              .getErr()
              .println("verifier key: " + LogCheckpoint.verifierKey(cp.origin(), k.publicKeyDer()));
          spec.commandLine().getErr().flush();
        }
        try {
          CatalogIndex.write(s, l, CatalogIndex.DEFAULT_EVERY, k)
              .ifPresent(
                  size ->
                      spec.commandLine()
                          .getErr()
                          .printf("catalog snapshot: %s%020d.tsv%n", CatalogIndex.PREFIX, size));
        } catch (IOException e) {
          // derived data: without it readers fold more of the ledger, never something else
          spec.commandLine()
              .getErr()
              .println(
                  "catalog snapshot not written: "
                      + EvidenceCommand.oneLine(String.valueOf(e.getMessage())));
        }
        spec.commandLine().getErr().flush();
        byte[] b = json ? cp.toJson() : cp.encoded();
        if (output != null) {
          Cli.writeAtomically(output, b, false);
        } else {
          PrintWriter out = spec.commandLine().getOut();
          out.print(new String(b, StandardCharsets.UTF_8) + (json ? "\n" : ""));
          out.flush();
        }
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "prove",
      mixinStandardHelpOptions = true,
      description = "Inclusion proof of one entry (default: in the log as it is now).",
      footer = {"", "Example:", "  evidence ledger prove store --index 41 --size 100 -o e41.json"})
  static final class Prove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--index", required = true, description = "Entry index (from 0).")
    long index;

    @Option(names = "--size", description = "Log size to prove against (a checkpoint's size).")
    Long size;

    @Option(
        names = {"-o", "--output"},
        description = "Write the proof here (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (EvidenceStore s = store(store)) {
        EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
        InclusionProof p = l.proveInclusion(index, size == null ? l.size() : size);
        write(spec.commandLine().getOut(), output, p.toJson());
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "entry",
      mixinStandardHelpOptions = true,
      description = "Print one entry's canonical JSON (the exact bytes its leaf hashes).",
      footer = {"", "Example:", "  evidence ledger entry store --index 41 -o e41.entry.json"})
  static final class Entry implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--index", required = true, description = "Entry index (from 0).")
    long index;

    @Option(
        names = {"-o", "--output"},
        description = "Write it here (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (EvidenceStore s = store(store)) {
        LedgerEntry e = EvidenceLedger.open(s, Clock.systemUTC()).entry(index);
        write(spec.commandLine().getOut(), output, e.canonical());
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "check-proof",
      mixinStandardHelpOptions = true,
      description = {
        "Offline auditor's check, no store needed: an inclusion proof of an entry in a signed"
            + " checkpoint, or a consistency proof between two signed checkpoints.",
        "Exit 0 verified, 1 not verified, 2 bad input."
      },
      footer = {
        "",
        "Examples:",
        "  evidence ledger check-proof e41.json --entry e41.entry.json --checkpoint cp100.json \\",
        "      --trust ledger.pub.pem",
        "  evidence ledger check-proof c.json --old cp100.json --checkpoint cp250.json \\",
        "      --trust ledger.pub.pem"
      })
  static final class CheckProof implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROOF", description = "Inclusion or consistency proof.")
    Path proof;

    @Option(names = "--checkpoint", required = true, description = "The (newer) checkpoint.")
    Path checkpoint;

    @Option(names = "--entry", description = "The entry (canonical JSON), for an inclusion proof.")
    Path entry;

    @Option(names = "--old", description = "The older checkpoint, for a consistency proof.")
    Path old;

    @Option(names = "--trust", description = "Ledger public key or certificate (repeatable).")
    List<Path> trust = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if ((entry == null) == (old == null)) {
        throw new EvidenceCommand.UsageException(
            "give --entry (inclusion proof) or --old (consistency proof), exactly one");
      }
      TrustAnchors t = trust(trust);
      List<String> problems = new ArrayList<>();
      String what;
      try {
        LogCheckpoint cp = LogCheckpoint.parse(read(checkpoint, "checkpoint"));
        if (!cp.verify(t)) {
          problems.add("checkpoint " + checkpoint + " is not signed by a trusted ledger key");
        }
        if (entry != null) {
          InclusionProof p = InclusionProof.parse(read(proof, "proof"));
          LedgerEntry e = LedgerEntry.parse(read(entry, "entry"));
          what = "entry " + p.index() + " (" + e + ") is in the log of " + entries(cp.size());
          if (!p.verifyAgainst(e, cp)) {
            problems.add("the inclusion proof does not lead from this entry to the checkpoint");
          }
        } else {
          LogCheckpoint older = LogCheckpoint.parse(read(old, "older checkpoint"));
          if (!older.verify(t)) {
            problems.add("checkpoint " + old + " is not signed by a trusted ledger key");
          }
          ConsistencyProof p = ConsistencyProof.parse(read(proof, "proof"));
          what =
              "the log of "
                  + entries(older.size())
                  + " is a prefix of the log of "
                  + entries(cp.size());
          if (!p.verifyBetween(older, cp)) {
            problems.add("the consistency proof does not link these two checkpoints");
          }
        }
      } catch (LedgerException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (problems.isEmpty()) {
        out.println("VERIFIED: " + what);
      } else {
        out.println("NOT VERIFIED:");
        problems.forEach(p -> out.println("  " + p));
      }
      out.flush();
      return problems.isEmpty() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
    }
  }

  @Command(
      name = "chain",
      mixinStandardHelpOptions = true,
      description = {
        "Check one device's chain of seals (R-07): each names the previous seal's digest."
            + " Reports missing, replaced, forked and reordered links. Either the seals given as"
            + " files, or (--store) every seal the store's ledger logged for the device, those of"
            + " recordings disposed of included. Each seal is also checked on its own (its tree;"
            + " with --trust, that a trusted signer signed it): a seal that is not intact is"
            + " CHAIN_UNTRUSTED_SEAL, since anyone could have made it to fill a gap.",
        "Exit 0 unbroken, 1 problems found, 2 bad input."
      },
      footer = {
        "",
        "Examples:",
        "  evidence ledger chain --device DEVCAM7 DEVCAM7_*.seal.json --trust stations-ca.pem",
        "  evidence ledger chain --device DEVCAM7 --store /srv/evidence"
      })
  static final class Chain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin TrustOptions anchors = new TrustOptions();

    @Option(names = "--device", required = true, description = "The device id.")
    String device;

    @Option(
        names = "--store",
        paramLabel = "STORE",
        description = "Check the chain the store holds: a folder, or a URI (file:, s3://...).")
    String store;

    @Parameters(paramLabel = "SEAL", arity = "0..*", description = "The device's seals.")
    List<Path> seals = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if ((store == null) == seals.isEmpty()) {
        throw new EvidenceCommand.UsageException(
            "give either the device's seal files or --store, not "
                + (store == null ? "neither" : "both"));
      }
      Verifier verifier = anchors.verifier(Verifier.builder());
      List<DeviceChain.Finding> f;
      String what;
      if (store != null) {
        try (EvidenceStore s = store(store)) {
          f = EvidenceArchive.open(s, Clock.systemUTC()).deviceChain(device, verifier);
        }
        what = "the seals the ledger logged for " + device;
      } else {
        List<Seal> all = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (Path p : seals) {
          Seal seal = Cli.readSeal(p);
          all.add(seal);
          distinct.add(seal.digest().hex());
        }
        f = DeviceChain.verify(device, all, verifier);
        // a seal given twice is one link
        what = distinct.size() + " seal(s) of " + device;
      }

      PrintWriter out = spec.commandLine().getOut();
      if (f.isEmpty()) {
        out.printf("UNBROKEN: %s form one chain%n", what);
      } else {
        out.printf("BROKEN: %d problem(s) in the chain of %s%n", f.size(), device);
        f.forEach(x -> out.println("  " + x));
      }
      out.flush();
      return f.isEmpty() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
    }
  }

  @Command(
      name = "consistency",
      mixinStandardHelpOptions = true,
      description = "Consistency proof between two log sizes (from at least 1).",
      footer = {"", "Example:", "  evidence ledger consistency store --from 100 --to 250"})
  static final class Consistency implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--from", required = true, description = "Older size (>= 1).")
    long from;

    @Option(names = "--to", description = "Newer size (default: now).")
    Long to;

    @Option(
        names = {"-o", "--output"},
        description = "Write the proof here (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (EvidenceStore s = store(store)) {
        EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
        ConsistencyProof p = l.proveConsistency(from, to == null ? l.size() : to);
        write(spec.commandLine().getOut(), output, p.toJson());
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Re-read the whole log and check it against every stored checkpoint; with --checkpoint,"
            + " also check that published checkpoint: signed by the log, cosigned by --quorum of"
            + " the --witness keys, and a state of this log.",
        "Exit 0 intact, 1 problems found, 3 inconclusive (the ledger's verdict, e.g. no"
            + " checkpoint attests it, and nothing else found), 2 bad input."
      },
      footer = {
        "",
        "Examples:",
        "  evidence ledger verify store --trust ledger.pub.pem",
        "  evidence ledger verify store --trust ledger.pub.pem --checkpoint cosigned.note \\",
        "      --witness legal.bureau-7.example/w1+1f2e3d4c+BH... --witness ... --quorum 2"
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(
        names = "--trust",
        description =
            "Ledger public key or certificate (repeatable); needed once the ledger has signed"
                + " checkpoints.")
    List<Path> trust = new ArrayList<>();

    @picocli.CommandLine.Mixin WitnessOptions witnesses = new WitnessOptions();

    @Override
    public Integer call() throws Exception {
      // without checkpoints nothing is signed, so no key is needed to check the log's hashes
      TrustAnchors given = trust.isEmpty() ? null : trust(trust);
      LogCheckpoint published = witnesses.read();
      WitnessPolicy policy = published == null ? null : witnesses.policy();
      if (given == null && published != null) {
        trust(trust); // the published checkpoint is signed: its key is needed
      }
      try (EvidenceStore s = store(store)) {
        LedgerReport r;
        EvidenceLedger ledger;
        TrustAnchors t;
        try {
          ledger = EvidenceLedger.open(s, Clock.systemUTC());
          if (given == null && ledger.latestCheckpoint().isPresent()) {
            trust(trust); // its checkpoints are signed: their key is needed to check them
          }
          t = given == null ? TrustAnchors.none() : given;
          r = ledger.verify(t);
        } catch (LedgerException e) {
          spec.commandLine().getOut().println("DAMAGED: " + e.getMessage());
          spec.commandLine().getOut().flush();
          return EvidenceCommand.FINDINGS;
        }
        List<Finding> problems = new ArrayList<>(r.findings());
        if (published != null) {
          problems.addAll(ledger.checkPublished(published, t, policy));
        }
        boolean ok = problems.isEmpty();
        // as a seal's verify: INCONCLUSIVE (exit 3) when it is the whole verdict; a published
        // checkpoint that fails, or a tampered ledger, is DAMAGED, a finding
        boolean inconclusive =
            r.verdict() == org.evidencekit.verify.Verdict.INCONCLUSIVE
                && problems.size() == r.findings().size();
        PrintWriter out = spec.commandLine().getOut();
        // the verdict once: the ledger's own when it is not intact, with every problem counted
        String state =
            entries(r.size())
                + ", root "
                + r.root()
                + ", "
                + r.checkpointsVerified()
                + " checkpoint(s) verified";
        out.println(
            ok
                ? "INTACT: " + state
                : inconclusive
                    ? "INCONCLUSIVE: " + problems.size() + " finding(s): " + state
                    : "DAMAGED: "
                        + (r.intact() ? "" : r.verdict() + ", ")
                        + problems.size()
                        + " finding(s): "
                        + state);
        if (published != null) {
          out.println(
              "  published "
                  + published
                  + ": cosigned by "
                  + policy.cosignatures(published).keySet()
                  + ", "
                  + policy.quorum()
                  + " of "
                  + policy.names().size()
                  + " required");
        }
        for (Finding p : problems) {
          out.println("  " + p);
        }
        out.flush();
        if (ok) {
          return EvidenceCommand.OK;
        }
        return inconclusive ? EvidenceCommand.INCONCLUSIVE : EvidenceCommand.FINDINGS;
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Log an export (who, why, to whom; R-19) and write the proof bundle that travels with the"
            + " copy: seal, sealed entry, inclusion proof, signed checkpoint.",
        "With --witness, the checkpoint is the newest one holding the recording that --quorum of"
            + " those witnesses cosigned ('ledger witness' keeps their cosignatures with the log),"
            + " carrying their cosignatures, so that 'check-bundle --witness' passes; exit 1 when"
            + " they have cosigned none yet (the bundle is written, proving against the export's own"
            + " checkpoint)."
      },
      footer = {
        "",
        "Example:",
        "  ${COMMAND-FULL-NAME} store CAM-7/2026-03-01/rec1.mp4 --actor clerk-2 \\",
        "      --reason \"appeal hearing\" --to court-7 --key ledger.key.pem -o rec1.bundle.json"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Parameters(index = "1", paramLabel = "KEY", description = "The recording's object key.")
    String object;

    @Option(names = "--actor", required = true, description = "Who exports.")
    String actor;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Option(names = "--to", required = true, description = "To whom.")
    String to;

    @Option(names = "--key", required = true, description = "Ledger signing key.")
    Path key;

    @Option(
        names = {"-o", "--output"},
        required = true,
        description = "Where to write the bundle.")
    Path output;

    @Option(
        names = "--decrypt-to",
        paramLabel = "FILE",
        description =
            "For an encrypted recording: write the verified plaintext here (needs --kek).")
    Path decryptTo;

    @picocli.CommandLine.Mixin CryptCommands.KekOptions kek = new CryptCommands.KekOptions();

    @picocli.CommandLine.Mixin WitnessPolicyOptions witnesses = new WitnessPolicyOptions();

    @picocli.CommandLine.Mixin ClockOptions clock = new ClockOptions();

    @Override
    public Integer call() throws Exception {
      Optional<WitnessPolicy> policy = witnesses.policy();
      var k = Trust.readKey(key, null);
      if ((decryptTo == null) == kek.given()) {
        throw new EvidenceCommand.UsageException("--decrypt-to and --kek go together");
      }
      // before the export is logged: an exported entry must not stand for a copy never written
      for (Path p : decryptTo == null ? List.of(output) : List.of(output, decryptTo)) {
        if (Files.exists(p)) {
          throw new EvidenceCommand.UsageException(
              p + " already exists (an export writes new files only: name another)");
        }
      }
      try (EvidenceStore s = store(store)) {
        EvidenceArchive archive = trustedArchive(s, clock, spec);
        ProofBundle b;
        if (decryptTo != null) {
          var kk = kek.read();
          ProofBundle[] holder = new ProofBundle[1];
          CryptCommands.writeNew(
              decryptTo,
              ch ->
                  holder[0] =
                      policy.isPresent()
                          ? archive.exportDecrypted(
                              object, actor, reason, to, k, policy.get(), List.of(kk), ch)
                          : archive.exportDecrypted(object, actor, reason, to, k, List.of(kk), ch));
          b = holder[0];
        } else {
          b =
              policy.isPresent()
                  ? archive.export(object, actor, reason, to, k, policy.get())
                  : archive.export(object, actor, reason, to, k);
        }
        Cli.writeAtomically(output, b.toJson(), false);
        spec.commandLine()
            .getOut()
            .printf(
                "exported %s to %s; bundle %s proves it against checkpoint %d%n",
                object, to, output, b.checkpoint().size());
        spec.commandLine()
            .getOut()
            .println(
                decryptTo != null
                    ? "checked: every byte decrypted and verified against the seal"
                    : "checked: the stored content is there, of the sealed size ("
                        + b.seal().length()
                        + " bytes); its bytes were not re-read ('evidence sweep' verifies them)");
        spec.commandLine().getOut().flush();
        if (policy.isPresent() && !policy.get().isSatisfiedBy(b.checkpoint())) {
          spec.commandLine()
              .getErr()
              .printf(
                  "no checkpoint holding %s is cosigned by %d of the witnesses given (%s): the"
                      + " bundle fails check-bundle --witness; have them cosign ('ledger"
                      + " witness') and export again%n",
                  object, policy.get().quorum(), String.join(", ", policy.get().names()));
          return EvidenceCommand.FINDINGS;
        }
      }
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "check-bundle",
      mixinStandardHelpOptions = true,
      description = {
        "Offline check of an exported copy's proof bundle: no store, no network.",
        "With --trust alone the bundle is as good as the ledger's key: whoever holds it can sign a"
            + " log of their own. With --witness, its checkpoint must also carry valid"
            + " cosignatures of --quorum of those witnesses; with --origin, be of that log.",
        "Exit 0 verified, 1 problems found (also: too few witnesses, another log), 2 bad input."
      },
      footer = {
        "",
        "Examples:",
        "  evidence ledger check-bundle rec1.bundle.json --content rec1.mp4 --trust ledger.pub.pem",
        "  evidence ledger check-bundle rec1.bundle.json --content rec1.mp4 --trust ledger.pub.pem \\",
        "      --origin ledger.bureau-7.example/evidence --witness legal.bureau-7.example/w1+1f2e3d4c+BH..."
      })
  static final class CheckBundle implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The proof bundle.")
    Path bundle;

    @Option(names = "--content", description = "The exported recording.")
    Path content;

    @Option(names = "--trust", description = "Ledger public key or certificate (repeatable).")
    List<Path> trust = new ArrayList<>();

    @picocli.CommandLine.Mixin WitnessPolicyOptions witnesses = new WitnessPolicyOptions();

    @Option(
        names = "--origin",
        paramLabel = "NAME",
        description =
            "The log's name its checkpoint must carry, e.g. ledger.bureau-7.example/evidence.")
    String origin;

    @Override
    public Integer call() throws Exception {
      TrustAnchors t = trust(trust);
      Optional<WitnessPolicy> policy = witnesses.policy();
      ProofBundle b;
      try {
        b = ProofBundle.parse(read(bundle, "bundle"));
      } catch (IOException e) {
        throw new EvidenceCommand.UsageException(
            "malformed bundle " + bundle + ": " + e.getMessage());
      }
      List<Finding> problems;
      try {
        if (content != null) {
          try (FileChannel ch = Cli.openRegularFile(content, "content")) {
            problems = b.verify(t, policy, Optional.ofNullable(origin), ch);
          }
        } else {
          problems = b.verify(t, policy, Optional.ofNullable(origin), null);
        }
      } catch (IllegalArgumentException e) {
        if (origin == null) {
          throw e;
        }
        throw new EvidenceCommand.UsageException("--origin: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (problems.isEmpty()) {
        out.printf(
            "VERIFIED: %s sealed at ledger entry %d, in checkpoint %d signed by %s%s%n",
            b.entry().subject(),
            b.inclusion().index(),
            b.checkpoint().size(),
            b.checkpoint().keyId()
                + b.checkpoint().time().map(at -> " at " + at).orElse("")
                + policy
                    .map(
                        w ->
                            ", cosigned by "
                                + w.cosignatures(b.checkpoint()).keySet()
                                + " ("
                                + w.quorum()
                                + " of "
                                + w.names().size()
                                + " required)")
                    .orElse(" (no witnesses checked)"),
            content == null ? " (content not checked)" : "; content matches its seal");
      } else {
        out.println("NOT VERIFIED:");
        problems.forEach(p -> out.println("  " + p));
      }
      out.flush();
      return problems.isEmpty() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
    }
  }

  @Command(
      name = "sweep",
      mixinStandardHelpOptions = true,
      description = {
        "Walk every object (R-20): re-verify each recording against its seal and the ledger;"
            + " report damaged, missing, unlogged and unexpected objects.",
        "Exit 0 clean, 1 problems found, 2 bad input."
      },
      footer = {
        "",
        "Examples:",
        "  evidence sweep store",
        "  evidence sweep 's3://evidence/bureau-7?endpoint=http://rgw:7480' --abandoned 1d",
        "  evidence sweep store --spark 'local[2]'"
      })
  static final class Sweep implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--all", description = "List OK objects too.")
    boolean all;

    @Option(
        names = "--kek",
        description =
            "Key-encryption key file(s) (hex) to check encrypted recordings with (repeatable).")
    List<Path> keks = new ArrayList<>();

    @Option(
        names = "--abandoned",
        paramLabel = "AGE",
        description =
            "S3 stores: first remove what writers that died left behind (open multipart uploads,"
                + " data no commit record names) older than AGE, e.g. 1d, 12h or PT30M. Never"
                + " touches committed objects.")
    String abandoned;

    @Option(
        names = "--spark",
        paramLabel = "MASTER",
        description =
            "Run the sweep as an Apache Spark job on MASTER (e.g. local[2]) and log its summary;"
                + " needs evidence-spark and Spark on the class path (docs/spark.md).")
    String spark;

    /**
     * The Spark sweep lives in evidence-spark, which needs Spark at run time: it is called by name
     * so that this command, and the plain jar, never link against Spark.
     */
    int sparkSweep(PrintWriter out, PrintWriter err) throws Exception {
      if (all || !keks.isEmpty() || abandoned != null) {
        throw new EvidenceCommand.UsageException("--spark takes none of --all, --kek, --abandoned");
      }
      java.lang.reflect.Method m;
      try {
        m =
            Class.forName("org.evidencekit.spark.SparkSweepMain")
                .getMethod(
                    "sweep", String.class, String.class, PrintWriter.class, PrintWriter.class);
      } catch (ClassNotFoundException | NoClassDefFoundError | NoSuchMethodException e) {
        throw new EvidenceCommand.UsageException(
            "--spark needs evidence-spark and Apache Spark 3.5 on the class path (docs/spark.md)");
      }
      try {
        return (Integer) m.invoke(null, spark, store, out, err);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }

    /** "7d", "12h", "30m", "90s" or an ISO-8601 duration. */
    static java.time.Duration age(String s) {
      return Cli.age("--abandoned", s);
    }

    List<org.evidencekit.crypt.KeyEncryptionKey> sweepKeys() throws IOException {
      List<org.evidencekit.crypt.KeyEncryptionKey> out = new ArrayList<>();
      for (Path p : keks) {
        out.add(CryptCommands.readKek(p, null));
      }
      return out;
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      if (spark != null) {
        return sparkSweep(spec.commandLine().getOut(), err);
      }
      java.time.Duration grace = abandoned == null ? null : age(abandoned);
      try (EvidenceStore s = store(store)) {
        if (grace != null) {
          if (!(s instanceof org.evidencekit.storage.s3.S3EvidenceStore)) {
            throw new EvidenceCommand.UsageException(
                "--abandoned is for s3: stores; the filesystem store clears dead writers'"
                    + " leftovers whenever it is opened");
          }
          org.evidencekit.storage.s3.S3EvidenceStore.SweepResult a =
              ((org.evidencekit.storage.s3.S3EvidenceStore) s).sweepAbandoned(grace);
          spec.commandLine()
              .getOut()
              .printf(
                  "abandoned writes older than %s: %d upload(s) aborted, %d unreferenced data"
                      + " object(s) deleted, %d locked and kept%n",
                  grace, a.uploadsAborted(), a.orphanDataDeleted(), a.orphanDataLocked());
        }
        // not through an opened archive: a ledger that no longer opens is reported, not fatal
        // progress redrawn in place on a terminal; elsewhere (a log, a pipe) one line at the end
        boolean terminal = System.console() != null;
        int[] last = {0, 0};
        SweepReport r =
            EvidenceArchive.sweep(
                s,
                (done, total) -> {
                  last[0] = done;
                  last[1] = total;
                  if (terminal && (done % 100 == 0 || done.equals(total))) {
                    err.printf("\rverified %d of %d recordings", done, total);
                    err.flush();
                  }
                },
                sweepKeys());
        if (terminal && last[1] > 0) {
          err.println();
        } else if (last[1] > 0) {
          err.printf("verified %d of %d recordings%n", last[0], last[1]);
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        for (SweepReport.Item i : r.items()) {
          if (all || i.status() != SweepReport.Status.OK) {
            out.println(i);
          }
        }
        out.println((r.clean() ? "CLEAN: " : "PROBLEMS: ") + r);
        out.flush();
        return r.clean() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
      }
    }
  }

  @Command(
      name = "spot-check",
      mixinStandardHelpOptions = true,
      description = {
        "Spot-check N recordings (R-17), chosen with a seed from a checkpoint the witnesses"
            + " cosigned, so nobody could know the choice before they signed and anyone can"
            + " re-derive it; logs each result.",
        "Exit 0 all OK, 1 problems found, 2 bad input."
      },
      footer = {
        "",
        "Example:",
        "  evidence spot-check store --count 5 --device CAM-7 --actor audit-1 \\",
        "      --checkpoint cosigned.note --witness legal.bureau-7.example/w1+1f2e3d4c+BH..."
      })
  static final class SpotCheck implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "STORE",
        description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--count", required = true, description = "How many recordings.")
    int count;

    @Option(names = "--device", description = "Only this device.")
    String device;

    @Option(names = "--officer", description = "Only this officer.")
    String officer;

    @Option(
        names = "--from",
        paramLabel = "ISO",
        description = "Only recordings that started at or after this instant.")
    Instant from;

    @Option(
        names = "--to",
        paramLabel = "ISO",
        description = "Only recordings that started before this instant.")
    Instant to;

    @Option(names = "--actor", required = true, description = "Who checks.")
    String actor;

    @picocli.CommandLine.Mixin WitnessOptions cosigned = new WitnessOptions();

    @picocli.CommandLine.Mixin ClockOptions clock = new ClockOptions();

    @Override
    public Integer call() throws Exception {
      if (count < 1) {
        throw new EvidenceCommand.UsageException("--count must be at least 1");
      }
      if (from != null && to != null && !from.isBefore(to)) {
        throw new EvidenceCommand.UsageException("--from must be before --to");
      }
      SpotCheckCriteria.Builder cb = SpotCheckCriteria.builder();
      SpotCheckCriteria criteria;
      try {
        if (device != null) {
          cb.device(device);
        }
        if (officer != null) {
          cb.officer(officer);
        }
        if (from != null) {
          cb.startedFrom(from);
        }
        if (to != null) {
          cb.startedBefore(to);
        }
        criteria = cb.build();
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
      try (EvidenceStore s = store(store)) {
        LogCheckpoint cp = cosigned.read();
        if (cp == null) {
          throw new EvidenceCommand.UsageException(
              "--checkpoint is required: a checkpoint cosigned by the witnesses ('evidence ledger"
                  + " witness'), so that nobody could know or steer the sample in advance");
        }
        EvidenceArchive a = trustedArchive(s, clock, spec);
        SpotCheckResult r;
        try {
          r = a.spotCheck(cp, cosigned.policy(), count, criteria, actor);
        } catch (LedgerException e) {
          throw new EvidenceCommand.UsageException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "spot check of %d of %d recordings, seeded by checkpoint %d (root %s) cosigned by %s%n",
            r.results().size(),
            r.population(),
            cp.size(),
            cp.root().hex(),
            cosigned.policy().cosignatures(cp).keySet());
        r.results().values().forEach(i -> out.println("  " + i));
        if (r.results().isEmpty()) {
          out.println(
              "NOTHING CHECKED: no recording sealed before checkpoint "
                  + cp.size()
                  + " matches "
                  + r.criteria()
                  + " (device and officer are read from each seal)");
        } else {
          out.println(r.allOk() ? "ALL OK" : "PROBLEMS FOUND");
        }
        out.flush();
        return r.allOk() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
      }
    }
  }
}
