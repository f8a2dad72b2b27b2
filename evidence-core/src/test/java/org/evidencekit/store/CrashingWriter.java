package org.evidencekit.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * Run in a separate JVM by {@link FileSystemEvidenceStoreFaultTest}: starts writing an object and
 * never finishes, so the test can kill it with SIGKILL mid-write.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(Path.of(args[0]), Clock.systemUTC());
    WritableObject w = store.create(ObjectKey.of(args[1]));
    byte[] chunk = new byte[1 << 20];
    w.write(ByteBuffer.wrap(chunk));
    System.out.println("WRITING");
    System.out.flush();
    while (true) {
      w.write(ByteBuffer.wrap(chunk));
      Thread.sleep(20);
    }
  }
}
