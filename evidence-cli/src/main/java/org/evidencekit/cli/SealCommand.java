package org.evidencekit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.verify.FindingCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "seal",
    mixinStandardHelpOptions = true,
    description = {
      "Seal a recording: an RFC 9162 Merkle tree over fixed-size segments, every leaf kept,"
          + " so any later change is located to its bytes (R-03, R-05)."
    },
    footer = {
      "",
      "Examples:",
      "  evidence seal DEVCAM7_20230601_141000_001.mp4",
      "  evidence seal big.mp4 --suite sha256+sm3 --segment-size 4MiB -o big.seal.json",
      "  evidence seal big.mp4 --json"
    })
final class SealCommand extends PlainCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The recording to seal.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "SEAL",
      description = "Where to write the seal (default: FILE.seal.json).")
  Path output;

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      defaultValue = "sha256",
      description =
          "sha256, sm3 or sha256+sm3 (both trees in one pass). Default: ${DEFAULT-VALUE}.")
  String suite;

  @Option(
      names = "--segment-size",
      paramLabel = "SIZE",
      defaultValue = "1MiB",
      description = "A power of two from 64KiB to 64MiB. Default: ${DEFAULT-VALUE}.")
  String segmentSize;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Sign the seal with this private key: PEM (PKCS#8 or EC), or PKCS#12 (.p12/.pfx, password"
              + " from the EVIDENCE_KEY_PASSWORD environment variable).")
  Path key;

  @Option(
      names = "--cert",
      paramLabel = "CERT.pem",
      description = "The signer's certificate (chain, leaf first) to embed, for CA-based trust.")
  Path cert;

  @Option(
      names = "--tsa",
      paramLabel = "URL",
      description = "Timestamp the signature at this RFC 3161 time-stamping authority.")
  java.net.URI tsa;

  @Option(names = "--device", paramLabel = "ID", description = "Recording device id.")
  String device;

  @Option(names = "--officer", paramLabel = "ID", description = "Officer (custodian) id.")
  String officer;

  @Option(names = "--case", paramLabel = "ID", description = "Case id (repeatable).")
  java.util.List<String> cases = new java.util.ArrayList<>();

  @Option(
      names = "--recording-start",
      paramLabel = "ISO",
      description = "When the recording started, e.g. 2023-06-01T14:10:00Z.")
  java.time.Instant recordingStart;

  @Option(names = "--recording-end", paramLabel = "ISO", description = "When it ended.")
  java.time.Instant recordingEnd;

  @Option(
      names = "--clock-offset-ms",
      paramLabel = "MS",
      description = "Device clock minus trusted clock at docking, in milliseconds (R-08).")
  Long clockOffsetMs;

  @Option(names = "--media-type", paramLabel = "TYPE", description = "e.g. video/mp4.")
  String mediaType;

  @Option(
      names = "--previous-seal",
      paramLabel = "SEAL",
      description = "The device's previous seal, whose digest this seal names (device chain).")
  Path previousSeal;

  @Option(names = "--force", description = "Replace an existing seal file.")
  boolean force;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing on success.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Cli.readableFile(file, "file");
    SealSuite s =
        SealSuite.forName(suite)
            .orElseThrow(
                () ->
                    new EvidenceCommand.UsageException(
                        "unknown suite '" + suite + "': use sha256, sm3 or sha256+sm3"));
    int size = Cli.parseSize(segmentSize);
    Path out = output != null ? output : file.resolveSibling(file.getFileName() + ".seal.json");
    if (!force && java.nio.file.Files.exists(out)) {
      throw new EvidenceCommand.UsageException(out + " already exists (use --force to replace it)");
    }
    long total = java.nio.file.Files.size(file);
    ProgressBar bar = ProgressBar.maybe(err(), "sealing", total, quiet || json);
    Sealer.Builder b = Sealer.builder().suite(s);
    try {
      b.segmentSize(size);
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    if (bar != null) {
      b.progress(bar);
    }
    long t0 = System.nanoTime();
    Seal seal = b.build().seal(file);
    if (bar != null) {
      bar.finish();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    seal = Trust.bindAndSign(seal, this);
    Cli.writeAtomically(out, seal.toJson(), force);
    if (seal.length() == 0) {
      // sealed as asked (an empty file is evidence that nothing was recorded), but not silently
      err()
          .println(
              "warning: "
                  + FindingCode.EMPTY_RECORDING
                  + ": "
                  + file
                  + " is empty (0 bytes): the seal proves only that nothing was recorded");
      err().flush();
    }
    if (json && !quiet) { // -q: standard output stays empty, JSON too (docs/cli.md)
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("seal", out.toString());
      m.put("suite", seal.suite().name());
      m.put("length", seal.length());
      m.put("segmentSize", seal.segmentSize());
      m.put("segments", seal.segmentCount());
      m.put("roots", Cli.roots(seal.roots()));
      seal.signature()
          .ifPresent(
              sig -> {
                m.put("signature", sig.suite());
                m.put("keyId", sig.keyId());
                m.put("timestamped", sig.timestampToken().isPresent());
              });
      Cli.printJson(out(), m);
    } else if (!quiet) {
      var o = out();
      o.printf(
          java.util.Locale.ROOT,
          "sealed %s: %s in %d segment(s) of %s, %.2f s%n",
          Cli.printable(file.toString()),
          Cli.humanBytes(seal.length()),
          seal.segmentCount(),
          Cli.humanBytes(seal.segmentSize()),
          secs);
      seal.roots().forEach((a, d) -> o.printf("  %-7s root %s%n", a.name(), d.hex()));
      seal.signature()
          .ifPresent(
              sig ->
                  o.printf(
                      "  signed  %s by %s%s%n",
                      sig.suite(),
                      sig.keyId(),
                      sig.timestampToken().isPresent() ? ", timestamped" : ""));
      o.printf("  seal written to %s%n", Cli.printable(out.toString()));
    }
    return EvidenceCommand.OK;
  }
}
