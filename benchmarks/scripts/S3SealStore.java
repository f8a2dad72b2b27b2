import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.s3.S3EvidenceStore;

/**
 * Benchmark helper: seals a file while storing it into an S3 store, the two ways ingest can, in
 * one JVM, alternated: in order through a {@code SealingChannel} (one thread copies, the store
 * hashes the object with SHA-256 as well) and at positions ({@code Sealer.sealInto}: the hash
 * workers store what they read). Each time includes the commit; the object is deleted after.
 *
 *   java -cp evidence.jar S3SealStore.java BUCKET FILE RUNS
 */
public final class S3SealStore {
  public static void main(String[] args) throws Exception {
    String bucket = args[0];
    Path file = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    Sealer sealer = Sealer.builder().suite(SealSuite.SHA256_SM3).build();
    try (S3EvidenceStore store =
        S3EvidenceStore.builder()
            .bucket(bucket)
            .endpoint(URI.create(System.getenv("S3_ENDPOINT")))
            .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"))
            .open()) {
      for (int i = 0; i < runs + 1; i++) { // run 0 warms the JIT, not reported
        for (int order = 0; order < 2; order++) {
          boolean positional = (i + order) % 2 == 1;
          ObjectKey key = ObjectKey.of("bench/" + i + (positional ? "p" : "s"));
          long t0 = System.nanoTime();
          Seal seal;
          try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
              WritableObject w = store.create(key)) {
            if (positional) {
              seal = sealer.sealInto(in, w, n -> {});
            } else {
              try (SealingChannel s = sealer.newSealingChannel(w, in.size())) {
                ByteBuffer b = ByteBuffer.allocate(1 << 20);
                while (in.read(b.clear()) >= 0) {
                  b.flip();
                  while (b.hasRemaining()) {
                    s.write(b);
                  }
                }
                seal = s.finish();
              }
            }
            w.commit();
          }
          double s = (System.nanoTime() - t0) / 1e9;
          if (i > 0) {
            System.out.printf(
                java.util.Locale.ROOT,
                "run %d %s %.3f s %s%n",
                i,
                positional ? "positional" : "in-order",
                s,
                seal.digest().hex().substring(0, 12));
          }
          store.delete(key);
        }
      }
    }
  }
}
