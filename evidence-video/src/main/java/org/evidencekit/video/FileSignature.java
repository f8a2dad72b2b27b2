package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is, judged from its first bytes only: the one table of signatures in the library. The
 * probe names a file it does not read by it ("it looks like a JPEG image"), and the ingest's search
 * of a card tells a recording lying in a system folder from debris by it, so the two
 * never disagree on what a camera or recorder writes.
 *
 * <p>Known: ISO media (MP4, MOV, 3GP, M4A; first box {@code ftyp}, {@code moov}, {@code mdat},
 * {@code wide}, {@code free} or {@code skip}), RIFF (WAV, AVI, any other form), RF64 WAV, MP3 (an
 * ID3 tag or a layer III frame), AMR, FLV, ASF/WMV, Matroska/WebM, an MPEG program stream, an MPEG
 * transport stream (188-byte packets, or 192-byte ones with time codes as in M2TS/MTS), JPEG, PNG,
 * PDF, ZIP, and text (printable ASCII in the first twelve bytes). Nothing is guessed about the
 * rest.
 */
public final class FileSignature {
  /**
   * How many first bytes decide every signature: a transport stream with time codes is known by its
   * second packet's sync byte, at 196.
   */
  public static final int HEAD_LENGTH = 200;

  /** A moving picture (with or without sound). */
  public static final String VIDEO = "video";

  /** Sound only. */
  public static final String AUDIO = "audio";

  /** A still picture. */
  public static final String IMAGE = "image";

  /** A document, an archive or text. */
  public static final String OTHER = "other";

  /** The first boxes an ISO media file (MP4, MOV) may start with. */
  private static final Set<String> ISO_MEDIA_BOXES =
      Set.of("ftyp", "moov", "mdat", "wide", "free", "skip");

  /** The most of the head searched for printable text: more would reject a text with accents. */
  private static final int TEXT_HEAD = 12;

  private final String description;
  private final String kind;
  private final boolean recorded;
  private final boolean probed;

  private FileSignature(String description, String kind, boolean recorded, boolean probed) {
    this.description = description;
    this.kind = kind;
    this.recorded = recorded;
    this.probed = probed;
  }

  /**
   * The signature {@code head} (a file's first bytes, from its position to its limit; best {@link
   * #HEAD_LENGTH} of them, fewer for a shorter file) starts with, if it is a known one. The
   * buffer's position is not moved.
   */
  public static Optional<FileSignature> of(ByteBuffer head) {
    requireNonNull(head, "head");
    byte[] b = new byte[head.remaining()];
    head.duplicate().get(b);
    return Optional.ofNullable(named(b));
  }

  /** What the file is, as an officer reads it after "it looks like": "a JPEG image". */
  public String description() {
    return description;
  }

  /** {@link #VIDEO}, {@link #AUDIO}, {@link #IMAGE} or {@link #OTHER}. */
  public String kind() {
    return kind;
  }

  /**
   * Whether cameras and recorders write recordings in this format (a video, a sound recording, a
   * JPEG still; also any RIFF file, which is how WAV and AVI start): such a file is a recording
   * wherever it lies.
   */
  public boolean recorded() {
    return recorded;
  }

  /**
   * Whether {@link MediaProbe} reads this format (ISO media, WAV, AMR, MP3): a file of it that the
   * probe refuses is a damaged one, not a file of another kind.
   */
  public boolean probed() {
    return probed;
  }

  @Override
  public String toString() {
    return description;
  }

  private static FileSignature recording(String description, String kind, boolean probed) {
    return new FileSignature(description, kind, true, probed);
  }

  private static FileSignature other(String description, String kind) {
    return new FileSignature(description, kind, false, false);
  }

  private static String reads(String what) {
    return what + ", which this library does not read";
  }

  private static FileSignature named(byte[] b) {
    if (b.length >= 8 && ISO_MEDIA_BOXES.contains(ascii(b, 4, 4))) {
      return recording("an ISO media file (MP4/MOV)", VIDEO, true);
    }
    if (starts(b, "RIFF") || starts(b, "RF64")) {
      String form = b.length >= 12 ? ascii(b, 8, 4) : "";
      if (form.equals("AVI ")) {
        return recording(reads("an AVI video"), VIDEO, false);
      }
      if (form.equals("WAVE")) {
        return recording("a WAV audio", AUDIO, true);
      }
      // a RIFF file cut short of its form, or of a form not listed: it may be either
      return recording("a RIFF file", OTHER, false);
    }
    if (starts(b, "ID3")) {
      return recording("an MP3 audio (with an ID3 tag)", AUDIO, true);
    }
    if (starts(b, "#!AMR")) {
      return recording("an AMR audio", AUDIO, true);
    }
    if (starts(b, 'F', 'L', 'V', 1)) {
      return recording(reads("an FLV video"), VIDEO, false);
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return recording("a JPEG image", IMAGE, false);
    }
    // an MP3 frame: 11 sync bits, layer III (not FF FE, a UTF-16 text's byte order mark)
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE6) == 0xE2) {
      return recording("an MP3 audio", AUDIO, true);
    }
    if (starts(b, 0, 0, 1, 0xBA)) {
      return recording(reads("an MPEG program stream"), VIDEO, false);
    }
    if (starts(b, 0x1A, 0x45, 0xDF, 0xA3)) {
      return recording(reads("a Matroska/WebM video"), VIDEO, false);
    }
    if (starts(b, 0x30, 0x26, 0xB2, 0x75)) {
      return recording(reads("an ASF/WMV file"), VIDEO, false);
    }
    if (starts(b, "%PDF-")) {
      return other("a PDF document", OTHER);
    }
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return other("a PNG image", IMAGE);
    }
    if (starts(b, 'P', 'K', 3, 4)) {
      return other("a ZIP archive (or an Office document)", OTHER);
    }
    // text before the stream's sync bytes: a text that starts with a G may hold one 188 bytes on,
    // a transport stream's packet header never reads as text
    if (text(b)) {
      return other("text", OTHER);
    }
    // a transport stream: a sync byte at the start of two packets, plain or after a time code
    if (b.length > 188 && b[0] == 0x47 && b[188] == 0x47) {
      return recording(reads("an MPEG transport stream"), VIDEO, false);
    }
    if (b.length > 196 && b[4] == 0x47 && b[196] == 0x47) {
      return recording(reads("an MPEG transport stream with time codes (M2TS/MTS)"), VIDEO, false);
    }
    return null;
  }

  /** Printable ASCII, tabs and line breaks only (after a UTF-8 byte order mark). */
  private static boolean text(byte[] b) {
    int from = starts(b, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    int to = Math.min(b.length, TEXT_HEAD);
    if (to - from < 4) {
      return false;
    }
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (!(c >= 0x20 && c < 0x7F) && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean starts(byte[] b, String s) {
    byte[] sig = s.getBytes(StandardCharsets.US_ASCII);
    int[] v = new int[sig.length];
    for (int i = 0; i < sig.length; i++) {
      v[i] = sig[i];
    }
    return starts(b, v);
  }

  private static boolean starts(byte[] b, int... sig) {
    if (b.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if ((b[i] & 0xFF) != (sig[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(byte[] b, int from, int n) {
    return new String(b, from, n, StandardCharsets.ISO_8859_1);
  }
}
