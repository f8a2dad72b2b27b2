package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run behind the launcher's class-data archive (scripts/jvm-flags.sh,
 * evidence_prepare): runs an ingest, a seal and a verification in one JVM started with {@code
 * -XX:ArchiveClassesAtExit}, so that the archive holds the classes they load, Jackson's included
 * (untrained, an ingest loaded some 1,400 classes from the jar). Trained on a seal alone, a
 * verification loaded 600 classes from the jar. Not a user command: it writes only in the folder it
 * is given and exits non-zero if any step failed, and then no archive is kept.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CdsTraining EMPTY-FOLDER");
      System.exit(EvidenceCommand.USAGE);
    }
    Path dir = Path.of(args[0]);
    // three segments, the last one short: the same paths as a real recording's seal
    String file = Files.write(dir.resolve("training.bin"), new byte[2_500_000]).toString();
    String seal = dir.resolve("training.seal.json").toString();
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    Path in = Files.createDirectory(dir.resolve("in"));
    Files.write(in.resolve("CDSTRAIN_20230601_141000_001.bin"), new byte[2_500_000]);
    // an ingest (store, ledger, retention, continuity): exit 1 is expected, its findings being
    // that a file of zeros is no MP4 and that 2023 is long past the upload deadline
    int ingest =
        EvidenceCommand.execute(
            new String[] {
              "ingest",
              in.toString(),
              "--store",
              dir.resolve("store").toString(),
              "--device",
              "CDSTRAIN",
              "--officer",
              "training",
              "--clock-mark",
              dir.resolve("clock-mark").toString(),
              "--init-clock-by",
              "cds-training",
              "--clock-reason",
              "class-data archive training run",
              "-q"
            },
            sink,
            sink);
    int[] codes = {
      ingest == 1 ? 0 : ingest,
      fast(sink, "seal", file, "--suite", "sha256+sm3", "-o", seal, "--force", "-q"),
      fast(sink, "verify", file, seal),
      fast(sink, "verify", file, seal, "--json"),
      // the JDK classes picocli uses, for every other command (its own are Java 5 class files,
      // which the archive cannot hold)
      EvidenceCommand.execute(new String[] {"verify", "--help"}, sink, sink),
    };
    for (int code : codes) {
      if (code != 0) {
        System.err.println("CdsTraining: a step exited with " + code);
        System.exit(code);
      }
    }
  }

  private static int fast(PrintWriter sink, String... args) {
    Integer code = FastPath.run(args, sink, sink);
    return code == null ? EvidenceCommand.USAGE : code;
  }
}
