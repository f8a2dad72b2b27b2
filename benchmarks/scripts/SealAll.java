import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;

/**
 * "Seal alone" for a folder of files in one JVM (what `evidence ingest` does besides sealing is
 * what the ingest comparison measures): {@code java -cp evidence.jar SealAll.java DIR SUITE}.
 */
public class SealAll {
  public static void main(String[] args) throws Exception {
    Sealer sealer = Sealer.builder().suite(SealSuite.forName(args[1]).orElseThrow()).build();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    long n = 0;
    for (Path f : files) {
      n += sealer.seal(f).length();
    }
    System.out.println(n);
  }
}
