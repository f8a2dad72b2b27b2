package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.video.FileSignature;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.jspecify.annotations.Nullable;

/**
 * A file of a card that {@link MediaProbe} refused, as ingest and {@code evidence analyze} both
 * judge it. Ingest seals every such file as it is ({@link IngestCodes#NOT_MEDIA});
 * analyze leaves it out of the continuity analysis and lists it with the same code and the probe's
 * reason, unless it starts as a format the probe reads (an MP4, a WAV, an MP3, an AMR), or its
 * first bytes say nothing and its name says it is one (a clip whose blocks were zeroed on the
 * card): then it is a recording too damaged to read, which the analysis reports as a recording that
 * could not be read (Art. 21(2)). A note, a camera's settings file, a GPS sidecar or a still is no
 * missing recording.
 */
public final class ProbeRefusal {
  /** The names of the formats the probe reads, in lower case. */
  private static final Set<String> PROBED_EXTENSIONS =
      Set.of("mp4", "m4v", "m4a", "mov", "3gp", "3g2", "wav", "amr", "mp3");

  private final String reason;
  private final @Nullable FileSignature signature;
  private final boolean namedAsProbed;

  private ProbeRefusal(String reason, @Nullable FileSignature signature, boolean namedAsProbed) {
    this.reason = reason;
    this.signature = signature;
    this.namedAsProbed = namedAsProbed;
  }

  /**
   * Judges {@code file}, which the probe refused with {@code refusal}, by its first bytes ({@link
   * FileSignature}); a file whose first bytes cannot be read again is judged by the refusal alone.
   */
  public static ProbeRefusal of(Path file, MediaFormatException refusal) {
    requireNonNull(file, "file");
    requireNonNull(refusal, "refusal");
    FileSignature signature = null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(FileSignature.HEAD_LENGTH);
      while (head.hasRemaining() && ch.read(head) >= 0) {
        // a file shorter than the head ends the loop
      }
      signature = FileSignature.of(head.flip()).orElse(null);
    } catch (IOException e) {
      // the probe's reason still says what was wrong; the signature is only its name
    }
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString();
    String extension = n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return new ProbeRefusal(
        String.valueOf(refusal.getMessage()),
        signature,
        n.contains(".") && PROBED_EXTENSIONS.contains(extension));
  }

  /** The probe's reason, which ingest's {@code NOT_MEDIA} finding gives too. */
  public String reason() {
    return reason;
  }

  /** What the file's first bytes say it is, when they say. */
  public Optional<FileSignature> signature() {
    return Optional.ofNullable(signature);
  }

  /**
   * Whether the file starts as a format the probe reads, or starts as no known format and is named
   * as one ({@code .mp4}, {@code .mov}, {@code .m4a}, {@code .3gp}, {@code .wav}, {@code .amr},
   * {@code .mp3}...), so that the refusal means it is damaged: a recording that could not be read,
   * not a file of another kind.
   */
  public boolean damagedRecording() {
    return signature == null ? namedAsProbed : signature.probed();
  }

  /**
   * Whether the file is a video or sound recording in a format the probe does not read (an AVI, a
   * transport stream, a Matroska file...): not damaged, but left out of a continuity analysis as a
   * recording that nothing places in time is, so such an analysis is incomplete.
   */
  public boolean recordingNotAnalysed() {
    return signature != null
        && !signature.probed()
        && signature.recorded()
        && (signature.kind().equals(FileSignature.VIDEO)
            || signature.kind().equals(FileSignature.AUDIO));
  }
}
