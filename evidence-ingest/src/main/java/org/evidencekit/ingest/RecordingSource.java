package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One recording to ingest: a name (the original file name, kept in the seal) and a way to open its
 * bytes. The station opens it more than once (the probe reads box headers, the copy reads it whole,
 * a resumed ingest reads it again to compare), so it must give the same bytes each time. Sources
 * that can only be read once are spooled by the caller.
 */
public abstract class RecordingSource {
  private final String name;

  RecordingSource(String name) {
    this.name = requireNonNull(name, "name");
  }

  /** A regular file. */
  public static RecordingSource of(Path file) {
    requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file
              + (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                  ? " is not a regular file (a folder, pipe or device is no recording)"
                  : " does not exist"));
    }
    Path name = file.getFileName();
    if (name == null) {
      throw new IllegalArgumentException(file + " has no file name");
    }
    return new FileSource(file, name.toString());
  }

  /**
   * Bytes from elsewhere (a network share, another store, memory): {@code opener} is called for
   * each read and must give the same bytes every time.
   *
   * @param name the original file name
   */
  public static RecordingSource of(String name, Opener opener) {
    requireNonNull(opener, "opener");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name is blank");
    }
    return new ChannelSource(name, opener);
  }

  /** Opens a source's bytes. */
  @FunctionalInterface
  public interface Opener {
    SeekableByteChannel open() throws IOException;
  }

  /** The original file name. */
  public final String name() {
    return name;
  }

  /** The file, when the source is one. */
  public Optional<Path> file() {
    return Optional.empty();
  }

  /** Opens the bytes for reading from the start; the caller closes the channel. */
  public abstract SeekableByteChannel open() throws IOException;

  /** How the source is shown to people: the file's path, or the name. */
  @Override
  public String toString() {
    return name;
  }

  private static final class FileSource extends RecordingSource {
    private final Path file;

    FileSource(Path file, String name) {
      super(name);
      this.file = file;
    }

    @Override
    public Optional<Path> file() {
      return Optional.of(file);
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      if (!Files.isRegularFile(file)) {
        // checked again: a pipe put in the file's place must not block the station
        throw new IOException(file + " is no longer a regular file");
      }
      return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }

  private static final class ChannelSource extends RecordingSource {
    private final Opener opener;

    ChannelSource(String name, Opener opener) {
      super(name);
      this.opener = opener;
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      return requireNonNull(opener.open(), "the opener returned null");
    }
  }
}
