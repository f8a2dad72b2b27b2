package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a recording's container index into a {@link RecordingTimeline}:
 * box headers and sample tables only, never the media data (a file without a movie box is the
 * exception: its media data is scanned for frames, since nothing else is left), plus the heads of
 * keyframes for splices. Damaged recordings (power loss, a cut or unreadable index, a damaged tail)
 * give a timeline marked {@link RecordingTimeline#truncated()}, their frames counted in the media
 * data; only bytes that are no media file, a top-level box flood and an index over {@link
 * ParseLimits#maxIndexBytes} give a {@link MediaFormatException}. Work and memory are bounded by
 * the file's size and {@link ParseLimits}, not by the counts it declares.
 *
 * <pre>{@code
 * RecordingTimeline t = MediaProbe.create().probe(Path.of("DEVCAM7_20230601_141000_001.mp4"));
 * t.track("vide").ifPresent(v -> System.out.println(v.sampleCount() + " frames"));
 * t.findings().forEach(System.out::println);
 * }</pre>
 */
public final class MediaProbe {
  /** Seconds between 1904-01-01 (the MP4 epoch) and 1970-01-01. */
  static final long EPOCH_1904 = 2_082_844_800L;

  private final ParseLimits limits;
  private final boolean deep;

  private MediaProbe(ParseLimits limits, boolean deep) {
    this.limits = limits;
    this.deep = deep;
  }

  /**
   * A probe with the default limits that reads the index and the first 2 KiB of every keyframe (for
   * splices and encoder identification).
   */
  public static MediaProbe create() {
    return new MediaProbe(ParseLimits.DEFAULTS, false);
  }

  /**
   * A probe with the given limits; {@code deep} reads 16 KiB of every keyframe's head instead of 2
   * KiB, for encoders that put long SEI before the parameter sets. Keyframe heads are bounded by
   * {@link ParseLimits#maxBannerScans}.
   */
  public static MediaProbe create(ParseLimits limits, boolean deep) {
    return new MediaProbe(requireNonNull(limits, "limits"), deep);
  }

  public RecordingTimeline probe(Path file) throws IOException {
    requireNonNull(file, "file");
    // a named pipe or device would block the read or never end: checked through the path before
    // the open and again after it (same file key), before any byte is read
    BasicFileAttributes before = regularFile(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (!Objects.equals(before.fileKey(), regularFile(file).fileKey())) {
        throw new FileSystemException(file.toString(), null, "replaced while being opened");
      }
      return probe(ch);
    }
  }

  private static BasicFileAttributes regularFile(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new FileSystemException(
          file.toString(),
          null,
          a.isDirectory()
              ? "a directory, not a file"
              : "not a regular file (a pipe, socket or device)");
    }
    return a;
  }

  /** Probes a channel positioned anywhere; reads with absolute positions; does not close it. */
  public RecordingTimeline probe(SeekableByteChannel ch) throws IOException {
    requireNonNull(ch, "channel");
    return new ProbeRun(ch, limits, deep).run();
  }

  static Long mode(Map<Long, Long> hist) {
    Long best = null;
    long bestCount = 0;
    for (Map.Entry<Long, Long> e : hist.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  static Instant mp4Time(long secondsSince1904) {
    if (secondsSince1904 == 0) {
      return null;
    }
    // unsigned 32-bit (v0) or 64-bit (v1): treat the 64-bit value as unsigned too
    if (secondsSince1904 < 0 || secondsSince1904 > 253_402_300_799L + EPOCH_1904) {
      return null;
    }
    return Instant.ofEpochSecond(secondsSince1904 - EPOCH_1904);
  }

  static String sha256(ByteBuffer b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
