package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a recording against its seal and name exactly which bytes changed (R-05).",
      "Exit code 0 INTACT, 1 TAMPERED, 3 INCONCLUSIVE (the seal itself is damaged), 2 bad input."
    },
    footer = {
      "",
      "Examples:",
      "  evidence verify DEVCAM7_20230601_141000_001.mp4",
      "  evidence verify big.mp4 big.seal.json --json",
      "  evidence verify big.mp4 --range 1048576:4096   (reads only the segments of that range)"
    })
final class VerifyCommand extends PlainCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
  Path file;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "SEAL",
      description = "Its seal (default: FILE.seal.json).")
  Path sealFile;

  @Option(
      names = "--range",
      paramLabel = "OFFSET:LENGTH",
      description = "Prove only this byte range, reading nothing else.")
  String range;

  @picocli.CommandLine.Mixin TrustOptions anchors = new TrustOptions();

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing; the exit code tells.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Cli.readableFile(file, "file");
    Path sp = sealFile != null ? sealFile : file.resolveSibling(file.getFileName() + ".seal.json");
    Seal seal;
    try {
      seal = Cli.readSeal(sp);
    } catch (EvidenceCommand.UsageException e) {
      if (Files.isRegularFile(file) && Cli.isSeal(file)) {
        // the two arguments swapped, or the seal given alone
        throw new EvidenceCommand.UsageException(
            file
                + " is a seal, not a recording: give the recording first"
                + " (evidence verify RECORDING [SEAL]); "
                + e.getMessage().replace("seal not found: ", "no seal at "));
      }
      throw e;
    }
    VerificationReport report;
    if (range != null) {
      ByteRange r = Cli.parseRange(range);
      if (r.length() == 0 || r.end() > seal.length()) {
        throw new EvidenceCommand.UsageException(
            "range " + r + " is empty or beyond the sealed length " + seal.length());
      }
      try (SeekableByteChannel ch = Files.newByteChannel(file)) {
        report = anchors.verifier(Verifier.builder()).verifyRange(ch, seal, r);
      }
    } else {
      ProgressBar bar = ProgressBar.maybe(err(), "verifying", seal.length(), quiet || json);
      Verifier.Builder vb = Verifier.builder();
      if (bar != null) {
        vb.progress(bar);
      }
      report = anchors.verifier(vb).verify(file, seal);
      if (bar != null) {
        bar.finish();
      }
    }
    PrintWriter out = out();
    if (json && !quiet) { // -q: standard output stays empty, JSON too (docs/cli.md)
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("seal", sp.toString());
      if (range != null) {
        m.put("range", Cli.range(Cli.parseRange(range)));
      }
      m.putAll(Cli.reportJson(report));
      Cli.printJson(out, m);
    } else if (!quiet) {
      out.printf(
          "%s %s%s (%s sealed, %s)%n",
          report.verdict(),
          Cli.printable(file.toString()),
          range == null ? "" : " range " + Cli.parseRange(range),
          Cli.humanBytes(seal.length()),
          seal.suite());
      for (Finding f : report.findings()) {
        // a message may quote the seal's file name: a line break in it must not forge a line
        out.printf("  %-20s %s%n", f.code(), Cli.printable(f.message()));
      }
    }
    return Cli.exitCode(report);
  }
}
