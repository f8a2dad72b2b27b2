import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;

/**
 * "Seal alone" for a folder of files in one JVM, at its best: the files sealed as one run of
 * segments (SealRun), as ingest seals them. What `evidence ingest` does besides sealing is what the
 * ingest comparison measures: {@code java -cp evidence.jar SealAll.java DIR SUITE}.
 */
public class SealAll {
  public static void main(String[] args) throws Exception {
    Sealer sealer = Sealer.builder().suite(SealSuite.forName(args[1]).orElseThrow()).build();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    List<FileChannel> open = new ArrayList<>();
    List<CompletableFuture<Seal>> seals = new ArrayList<>();
    try (SealRun run = sealer.newRun(total)) {
      for (Path f : files) {
        FileChannel ch = FileChannel.open(f);
        open.add(ch);
        seals.add(run.submit(ch, n -> {}));
      }
      run.finish();
    }
    long n = 0;
    for (CompletableFuture<Seal> s : seals) {
      n += s.get().length();
    }
    for (FileChannel ch : open) {
      ch.close();
    }
    System.out.println(n);
  }
}
