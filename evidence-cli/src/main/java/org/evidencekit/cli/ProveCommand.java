package org.evidencekit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.RangeProof;
import org.evidencekit.seal.Seal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    description = {
      "Write a stand-alone proof that a byte range belongs to a sealed recording: RFC 9162"
          + " inclusion proofs of the covered segments to the seal's root. Anyone holding only"
          + " those segments and the (signed) root can check it with the library's"
          + " Verifier.verifyRangeProof."
    },
    footer = {
      "",
      "Example:",
      "  evidence prove big.mp4.seal.json --range 1048576:4096 -o clip.proof.json"
    })
final class ProveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SEAL", description = "The seal of the recording.")
  Path sealFile;

  @Option(
      names = "--range",
      required = true,
      paramLabel = "OFFSET:LENGTH",
      description = "The byte range to prove.")
  String range;

  @Option(
      names = "--algorithm",
      paramLabel = "ALG",
      description = "sha256 or sm3 (default: the suite's first).")
  String algorithm;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "PROOF",
      description = "Where to write the proof.")
  Path output;

  @Option(names = "--force", description = "Replace an existing proof file.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    Seal seal = Cli.readSeal(sealFile);
    ByteRange r = Cli.parseRange(range);
    if (r.length() == 0 || r.end() > seal.length()) {
      throw new EvidenceCommand.UsageException(
          "range " + r + " is empty or beyond the sealed length " + seal.length());
    }
    HashAlgorithm alg = seal.suite().primary();
    if (algorithm != null) {
      alg =
          HashAlgorithm.forName(algorithm)
              .filter(a -> seal.suite().algorithms().contains(a))
              .orElseThrow(
                  () ->
                      new EvidenceCommand.UsageException(
                          "the seal's suite " + seal.suite() + " has no '" + algorithm + "' tree"));
    }
    RangeProof proof = seal.proveRange(r, alg);
    Cli.writeAtomically(output, proof.toJson(), force);
    spec.commandLine()
        .getOut()
        .printf(
            "proof of %s written to %s: send it with bytes %s (%d segment(s)) and the %s root %s%n",
            r, output, proof.coveredRange(), proof.segmentCount(), alg, proof.root().hex());
    return EvidenceCommand.OK;
  }
}
