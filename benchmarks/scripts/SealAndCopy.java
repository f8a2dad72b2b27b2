import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * The least an ingest must do, as a floor for the ingest comparison (issue 25): each file read
 * once, hashed as one run of segments (as {@code SealAll}), written while it is hashed into a copy
 * that is made durable (fsync) and renamed into place with its seal beside it (also made durable);
 * the folder is synced at the end. No store, ledger, naming, probe, retention, signing or
 * catalog: what {@code evidence ingest} spends beyond this is its own per-recording work.
 *
 * <p>{@code java -cp evidence.jar:CLASSES SealAndCopy IN_DIR SUITE OUT_DIR} (OUT_DIR must not
 * exist). Prints the number of files.
 */
public class SealAndCopy {
  /** A plain file taking the run's positional writes. */
  private static final class Copy implements WritableObject {
    final Path staged;
    final FileChannel channel;

    Copy(Path staged) throws IOException {
      this.staged = staged;
      this.channel = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public ObjectKey key() {
      return ObjectKey.of(staged.getFileName().toString());
    }

    @Override
    public ObjectInfo commit() {
      throw new UnsupportedOperationException("committed by SealAndCopy itself");
    }

    @Override
    public boolean supportsPositionalWrites() {
      return true;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      int n = 0;
      while (src.hasRemaining()) {
        n += channel.write(src, position + n);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void abort() throws IOException {
      channel.close();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  public static void main(String[] args) throws Exception {
    Sealer sealer = Sealer.builder().suite(SealSuite.forName(args[1]).orElseThrow()).build();
    Path out = Path.of(args[2]);
    Path staging = Files.createDirectories(out.resolve("staging"));
    Path done = Files.createDirectories(out.resolve("done"));
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    // one thread makes each copy durable while the workers hash the next files, as ingest's
    // committer does
    ExecutorService committer = Executors.newSingleThreadExecutor();
    List<CompletableFuture<Seal>> copies = new ArrayList<>();
    try (SealRun run = sealer.newRun(total)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        FileChannel in = FileChannel.open(f);
        Copy copy = new Copy(staging.resolve(name));
        CompletableFuture<Seal> sealed = run.submitInto(in, copy, n -> {});
        copies.add(sealed.thenApplyAsync(seal -> commit(in, copy, seal, staging, done), committer));
      }
      run.finish();
    }
    for (CompletableFuture<Seal> c : copies) {
      c.join();
    }
    committer.shutdown();
    try (FileChannel folder = FileChannel.open(done, StandardOpenOption.READ)) {
      folder.force(true);
    }
    System.out.println(copies.size());
  }

  private static Seal commit(FileChannel in, Copy copy, Seal seal, Path staging, Path done) {
    String name = copy.staged.getFileName().toString();
    try {
      in.close();
      copy.channel.force(true);
      copy.close();
      Path sealFile = staging.resolve(name + ".seal.json");
      try (FileChannel s =
          FileChannel.open(sealFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        s.write(ByteBuffer.wrap(seal.toJson()));
        s.force(true);
      }
      Files.move(copy.staged, done.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      Files.move(sealFile, done.resolve(name + ".seal.json"), StandardCopyOption.ATOMIC_MOVE);
      return seal;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
