import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * A second floor for the ingest comparison (issue 25): {@code SealAndCopy}'s work done through the
 * filesystem store, as an ingest stores a recording. Each file is read once and hashed as one run
 * of segments while the run's positional writes go into a store object ({@link
 * EvidenceStore#create}), which is committed (durable, renamed into place, its {@code meta.json}
 * written) once its seal is known, on one thread; the seal is then committed as an object of its own
 * beside it, on another (as the ingest's committer and seal writer do).
 * No ledger, naming, probe, retention, signing or catalog: the gap between this and {@code
 * SealAndCopy} is the store's object protocol, the gap between this and {@code evidence ingest} the
 * ingest's own per-recording work.
 *
 * <p>{@code java -cp evidence.jar:CLASSES SealIntoStore IN_DIR SUITE STORE_DIR} (STORE_DIR must not
 * exist). Prints the number of files.
 */
public class SealIntoStore {
  public static void main(String[] args) throws Exception {
    Sealer sealer = Sealer.builder().suite(SealSuite.forName(args[1]).orElseThrow()).build();
    EvidenceStore store = FileSystemEvidenceStore.openOrCreate(Path.of(args[2]), Clock.systemUTC());
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    // one thread commits each recording while the workers hash the next files, another stores
    // its seal, as the ingest's committer and seal writer do
    ExecutorService committer = Executors.newSingleThreadExecutor();
    ExecutorService sealWriter = Executors.newSingleThreadExecutor();
    List<CompletableFuture<Seal>> stored = new ArrayList<>();
    try (SealRun run = sealer.newRun(total)) {
      for (Path f : files) {
        ObjectKey key = ObjectKey.of("BENCH/" + f.getFileName());
        FileChannel in = FileChannel.open(f);
        WritableObject object = store.create(key);
        CompletableFuture<Seal> sealed = run.submitInto(in, object, n -> {});
        stored.add(
            sealed
                .thenApplyAsync(seal -> commit(in, object, seal), committer)
                .thenApplyAsync(seal -> storeSeal(store, object.key(), seal), sealWriter));
      }
      run.finish();
    }
    for (CompletableFuture<Seal> c : stored) {
      c.join();
    }
    committer.shutdown();
    sealWriter.shutdown();
    System.out.println(stored.size());
  }

  private static Seal commit(FileChannel in, WritableObject object, Seal seal) {
    try {
      in.close();
      object.commit();
      return seal;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Seal storeSeal(EvidenceStore store, ObjectKey recording, Seal seal) {
    try {
      try (WritableObject s = store.create(ObjectKey.of(recording.value() + ".seal.json"))) {
        ByteBuffer json = ByteBuffer.wrap(seal.toJson());
        while (json.hasRemaining()) {
          s.write(json);
        }
        s.commit();
      }
      return seal;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
