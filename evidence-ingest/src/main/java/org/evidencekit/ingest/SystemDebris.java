package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.evidencekit.video.FileSignature;
import org.jspecify.annotations.Nullable;

/**
 * Files an operating system leaves on a card it mounted, which are no recording: macOS AppleDouble
 * files ({@code ._NAME}), Finder settings ({@code .DS_Store}), the volume icon ({@code
 * .VolumeIcon.icns}) and the Spotlight opt-out marker ({@code .metadata_never_index}), Windows
 * Explorer's thumbnail cache ({@code Thumbs.db}) and folder settings ({@code desktop.ini}), each
 * recognised by its bytes, and what lies in the search index, event log and volume folders of macOS
 * and Windows and in Windows' recycle bin. Such files are left out of a folder search and listed,
 * so the archive does not keep an index file for ten years under the device's name.
 *
 * <p>Everything else is a recording, hidden or not (R-13: nothing recorded may be left behind; a
 * recording renamed {@code .CLIP.MP4}, or in the trash {@code .Trashes/501/}, was hidden or deleted
 * on the card, which is exactly what must be kept). A name alone never makes debris: a file named
 * like debris without its format's bytes, or a file in a system folder whose bytes start as a
 * recording's do, is ingested. Names are compared ignoring case, as the FAT and exFAT of a card do.
 */
final class SystemDebris {
  private SystemDebris() {}

  /**
   * Folders an operating system keeps for itself on a volume it mounted, in lower case, with what
   * they are. The recycle bin holds, per user, a record of each deleted file's name and time and
   * the deleted file itself: a deleted recording starts as one and is kept.
   */
  private static final Map<String, String> SYSTEM_FOLDERS =
      Map.of(
          ".spotlight-v100", "the macOS search index",
          ".fseventsd", "the macOS file event log",
          "system volume information", "Windows' volume information",
          "$recycle.bin", "Windows' recycle bin");

  /**
   * Trash folders, in lower case: Windows' recycle bins (Vista on, XP), the Finder's trash on a
   * removable volume, and the desktop trash of Linux on one ({@code .Trash/UID}, {@code
   * .Trash-UID}).
   */
  private static final Set<String> TRASH_FOLDERS =
      Set.of("$recycle.bin", "recycler", ".trashes", ".trash");

  private static final Pattern USER_TRASH = Pattern.compile("\\.trash-\\d+");

  /** AppleDouble's magic number: the header of a {@code ._NAME} file (RFC 1740). */
  private static final byte[] APPLE_DOUBLE = {0x00, 0x05, 0x16, 0x07};

  /** A {@code .DS_Store}'s first bytes: a 1 and the buddy allocator's tag {@code Bud1}. */
  private static final byte[] DS_STORE = {0, 0, 0, 1, 'B', 'u', 'd', '1'};

  /** An OLE2 compound file's signature, which {@code Thumbs.db} is. */
  private static final byte[] OLE2 = {
    (byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1
  };

  /** An Apple icon image's magic, which {@code .VolumeIcon.icns} is. */
  private static final byte[] ICNS = {'i', 'c', 'n', 's'};

  /**
   * The most of a {@code desktop.ini} read to see it is one: Explorer's are a few hundred bytes.
   */
  private static final int INI_MAX = 64 * 1024;

  /**
   * Why {@code file}, found at {@code relative} under a folder of the request, is operating system
   * debris; empty when it is taken as a recording (also when its first bytes cannot be read: the
   * ingest then reports it unreadable rather than leave it out).
   */
  static Optional<String> reason(Path relative, Path file) {
    String name = relative.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (name.startsWith("._")) {
      return startsWith(file, APPLE_DOUBLE)
          ? debris(
              "a macOS AppleDouble file (its bytes start 00 05 16 07), the Finder's attributes of"
                  + " another file")
          : Optional.empty();
    }
    if (lower.equals(".ds_store")) {
      return startsWith(file, DS_STORE)
          ? debris("the macOS Finder's folder settings (.DS_Store)")
          : Optional.empty();
    }
    if (lower.equals(".volumeicon.icns")) {
      return startsWith(file, ICNS)
          ? debris("the macOS volume icon (.VolumeIcon.icns, an 'icns' image)")
          : Optional.empty();
    }
    if (lower.equals(".metadata_never_index")) {
      byte[] h = head(file, 1);
      return h != null && h.length == 0
          ? debris("the empty marker that keeps macOS Spotlight off the volume")
          : Optional.empty();
    }
    if (lower.equals("thumbs.db")) {
      return startsWith(file, OLE2)
          ? debris(
              "Windows Explorer's thumbnail cache (Thumbs.db, an OLE2 compound file: D0 CF 11 E0"
                  + " A1 B1 1A E1)")
          : Optional.empty();
    }
    if (lower.equals("desktop.ini")) {
      return isIni(file)
          ? debris("Windows Explorer's folder settings (desktop.ini, a text of [sections])")
          : Optional.empty();
    }
    Path parent = relative.getParent();
    if (parent == null) {
      return Optional.empty();
    }
    for (Path folder : parent) {
      String what = SYSTEM_FOLDERS.get(folder.toString().toLowerCase(Locale.ROOT));
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

  private static Optional<String> debris(String what) {
    return Optional.of("operating system debris: " + what + ", not a recording");
  }

  /**
   * The trash folder a file found at {@code relative} under a folder of the request lies in (the
   * relative path up to that folder), if any: a recording there was deleted on the card. Only the
   * path below the folder named is judged: the folders above it are the station's.
   */
  static Optional<Path> trashFolder(Path relative) {
    Path parent = relative.normalize().getParent();
    if (parent == null) {
      return Optional.empty();
    }
    Path at = null;
    for (Path part : parent) {
      at = at == null ? part : at.resolve(part);
      String lower = part.toString().toLowerCase(Locale.ROOT);
      if (TRASH_FOLDERS.contains(lower) || USER_TRASH.matcher(lower).matches()) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(Path file, byte[] magic) {
    byte[] head = head(file, magic.length);
    return head != null && Arrays.equals(head, magic);
  }

  /**
   * Whether the file is an INI text as Explorer writes {@code desktop.ini}: small, UTF-16LE with
   * its byte order mark or ASCII/UTF-8, no NUL in it (but UTF-16's high bytes), and its first line
   * that is neither blank nor a {@code ;} comment opens a {@code [section]}.
   */
  private static boolean isIni(Path file) {
    byte[] b = head(file, INI_MAX + 1);
    if (b == null || b.length == 0 || b.length > INI_MAX) {
      return false;
    }
    String text;
    if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      text = new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
    } else {
      int from = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb ? 3 : 0;
      text = new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }
    if (text.indexOf('\0') >= 0 || text.indexOf('\uFFFD') >= 0) {
      return false;
    }
    for (String line : text.split("\r?\n", -1)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith(";")) {
        continue;
      }
      return t.startsWith("[") && t.indexOf(']') > 1;
    }
    return false;
  }

  /**
   * Whether the file's first bytes are those of a format a camera or recorder writes a recording in
   * by the library's one table of signatures ({@link FileSignature#recorded()}), which also
   * names the file the probe refuses. A file that cannot be read counts as one.
   */
  private static boolean looksRecorded(Path file) {
    byte[] h = head(file, FileSignature.HEAD_LENGTH);
    return h == null
        || FileSignature.of(ByteBuffer.wrap(h)).map(FileSignature::recorded).orElse(false);
  }

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
