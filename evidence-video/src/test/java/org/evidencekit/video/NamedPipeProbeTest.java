package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A named pipe given as a recording is refused before any read, never waited on. */
class NamedPipeProbeTest {
  @TempDir Path dir;

  @Test
  void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path pipe = dir.resolve("DEVCAM7_20230601_141000_001.mp4");
    Process mk = new ProcessBuilder("mkfifo", pipe.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    FileSystemException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    FileSystemException.class,
                    () -> MediaProbe.create(ParseLimits.DEFAULTS, false).probe(pipe)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    FileSystemException folder =
        assertThrows(
            FileSystemException.class,
            () -> MediaProbe.create(ParseLimits.DEFAULTS, false).probe(dir));
    assertTrue(folder.getMessage().contains("a directory"), folder.getMessage());
  }
}
