package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Files an operating system leaves on a card it mounted, which are no recording: macOS AppleDouble
 * files ({@code ._NAME}) and Finder settings ({@code .DS_Store}), recognised by their bytes, and
 * what lies in the search index, event log and volume folders of macOS and Windows. Such files are
 * left out of a folder search and listed, so the archive does not keep an index file for ten years
 * under the device's name.
 *
 * <p>Everything else is a recording, hidden or not (R-13: nothing recorded may be left behind; a
 * recording renamed {@code .CLIP.MP4}, or in the trash {@code .Trashes/501/}, was hidden or deleted
 * on the card, which is exactly what must be kept). A name alone never makes debris: an {@code
 * ._NAME} or {@code .DS_Store} without its format's bytes, or a file in a system folder whose bytes
 * start as a recording's do, is ingested.
 */
final class SystemDebris {
  private SystemDebris() {}

  /** Folders an operating system keeps for itself on a volume it mounted, with what they are. */
  private static final Map<String, String> SYSTEM_FOLDERS =
      Map.of(
          ".Spotlight-V100", "the macOS search index",
          ".fseventsd", "the macOS file event log",
          "System Volume Information", "Windows' volume information");

  /** AppleDouble's magic number: the header of a {@code ._NAME} file (RFC 1740). */
  private static final byte[] APPLE_DOUBLE = {0x00, 0x05, 0x16, 0x07};

  /** A {@code .DS_Store}'s first bytes: a 1 and the buddy allocator's tag {@code Bud1}. */
  private static final byte[] DS_STORE = {0, 0, 0, 1, 'B', 'u', 'd', '1'};

  /**
   * Why {@code file}, found at {@code relative} under a folder of the request, is operating system
   * debris; empty when it is taken as a recording (also when its first bytes cannot be read: the
   * ingest then reports it unreadable rather than leave it out).
   */
  static Optional<String> reason(Path relative, Path file) {
    String name = relative.getFileName().toString();
    if (name.startsWith("._")) {
      return startsWith(file, APPLE_DOUBLE)
          ? Optional.of(
              "operating system debris: a macOS AppleDouble file (its bytes start 00 05 16 07),"
                  + " the Finder's attributes of another file, not a recording")
          : Optional.empty();
    }
    if (name.equals(".DS_Store")) {
      return startsWith(file, DS_STORE)
          ? Optional.of(
              "operating system debris: the macOS Finder's folder settings (.DS_Store), not a"
                  + " recording")
          : Optional.empty();
    }
    Path parent = relative.getParent();
    if (parent == null) {
      return Optional.empty();
    }
    for (Path folder : parent) {
      String what = SYSTEM_FOLDERS.get(folder.toString());
      if (what != null) {
        return looksRecorded(file)
            ? Optional.empty()
            : Optional.of(
                "operating system debris: in "
                    + folder
                    + " ("
                    + what
                    + "), and its bytes start as no recording does");
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(Path file, byte[] magic) {
    byte[] head = head(file, magic.length);
    return head != null && Arrays.equals(head, magic);
  }

  /**
   * Whether the file's first bytes are those of a recording format a camera or recorder writes
   * an ISO media file (MP4, MOV, 3GP, M4A), RIFF (WAV, AVI), JPEG, MP3 (ID3 or a frame),
   * AMR or an MPEG program stream. A file that cannot be read counts as one.
   */
  private static boolean looksRecorded(Path file) {
    byte[] h = head(file, 12);
    if (h == null) {
      return true;
    }
    if (h.length >= 8) {
      String box = new String(h, 4, 4, StandardCharsets.ISO_8859_1);
      if (ISO_MEDIA_BOXES.contains(box)) {
        return true;
      }
    }
    String ascii = new String(h, StandardCharsets.ISO_8859_1);
    if (ascii.startsWith("RIFF") || ascii.startsWith("ID3") || ascii.startsWith("#!AMR")) {
      return true;
    }
    int b0 = h.length > 0 ? h[0] & 0xff : -1;
    int b1 = h.length > 1 ? h[1] & 0xff : -1;
    int b2 = h.length > 2 ? h[2] & 0xff : -1;
    int b3 = h.length > 3 ? h[3] & 0xff : -1;
    return (b0 == 0xff && b1 == 0xd8 && b2 == 0xff) // JPEG
        // an MP3 frame: 11 sync bits, layer III (not FF FE, a UTF-16 text's byte order mark)
        || (b0 == 0xff && (b1 & 0xe6) == 0xe2)
        || (b0 == 0 && b1 == 0 && b2 == 1 && b3 == 0xba); // an MPEG program stream
  }

  /** The first boxes an ISO media file (MP4, MOV) may start with. */
  private static final Set<String> ISO_MEDIA_BOXES =
      Set.of("ftyp", "moov", "mdat", "wide", "free", "skip");

  /** Up to {@code n} first bytes of {@code file}, or null when it cannot be read. */
  private static byte @Nullable [] head(Path file, int n) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(n);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // a file shorter than n ends the loop
      }
      return Arrays.copyOf(b.array(), b.position());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
