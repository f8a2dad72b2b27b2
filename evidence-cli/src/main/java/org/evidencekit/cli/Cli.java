package org.evidencekit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ingest.SkippedInput;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.NotASealException;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.VerificationReport;

/** Shared pieces of the subcommands: checked inputs, atomic outputs, JSON, sizes. */
final class Cli {
  /** Built on first use only: a mapper costs a few hundred classes at start-up. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private Cli() {}

  /**
   * The bytes of an input file of at most {@code max} bytes, or a one-line usage error. The bound
   * holds for the read itself, not only for the size the file reports: a file that grows after it
   * is opened, or holds more than it reports (procfs reports 0), is refused within one chunk past
   * the bound, never read whole into an {@code OutOfMemoryError}. It reads whole chunks, since some
   * such files refuse a read of an odd length. The file is checked by name, opened, and checked
   * again before the first read ({@link #sameRegularFile}). (evidence-core's own bounded read is in
   * a package its module does not export; this is the command line's one copy.)
   */
  static byte[] readBounded(Path p, long max, String what) throws IOException {
    int bound = (int) Math.min(Integer.MAX_VALUE - 9, max);
    try (FileChannel ch = openRegularFile(p, what)) {
      long size = ch.size();
      if (size > bound) {
        throw tooLarge(p, bound, what);
      }
      requireRoom(p, size, what);
      byte[] b = new byte[(int) Math.max(size, 1)];
      int n = 0;
      ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
      for (int r = ch.read(chunk); r >= 0; r = ch.read(chunk)) {
        if (n + (long) r > bound) {
          throw tooLarge(p, bound, what);
        }
        requireRoom(p, n + (long) r, what);
        if (n + r > b.length) {
          b = Arrays.copyOf(b, (int) Math.min(bound, Math.max(2L * b.length, n + r)));
        }
        chunk.flip();
        chunk.get(b, n, r);
        chunk.clear();
        n += r;
      }
      return n == b.length ? b : Arrays.copyOf(b, n);
    }
  }

  /**
   * A file the command reads as a stream (a recording, a ciphertext, a bundle's content), opened as
   * {@link #readBounded} opens it: {@link #readableFile}'s checks before the open, and the same
   * regular file (device and inode) right after it, before any read. The caller closes it.
   */
  static FileChannel openRegularFile(Path p, String what) throws IOException {
    BasicFileAttributes checked = regularFile(p, what);
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    try {
      sameRegularFile(p, what, checked);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * {@link #readableFile}'s checks, and the attributes they were made on, to compare with those
   * seen once the file is open.
   */
  private static BasicFileAttributes regularFile(Path p, String what) throws IOException {
    readableFile(p, what);
    return Files.readAttributes(p, BasicFileAttributes.class);
  }

  /**
   * Refuses, right after the open and before any read, a path that no longer names the regular file
   * checked before it (same {@link BasicFileAttributes#fileKey()}: device and inode). Java 17 can
   * neither open without blocking on a named pipe ({@code O_NONBLOCK}) nor ask an open channel what
   * it is ({@code fstat}), so this is as close as it gets: a pipe swapped in between {@link
   * #readableFile} and the open makes the open wait for a writer (the one window left, the time of
   * a {@code stat}); one swapped in and left there, or given a writer, is refused here instead of
   * blocking the read.
   */
  private static void sameRegularFile(Path p, String what, BasicFileAttributes checked)
      throws IOException {
    BasicFileAttributes now = Files.readAttributes(p, BasicFileAttributes.class);
    if (!now.isRegularFile() || !Objects.equals(checked.fileKey(), now.fileKey())) {
      throw new EvidenceCommand.UsageException(
          what + " " + p + " was replaced while being opened; not read");
    }
  }

  private static final int READ_CHUNK = 64 * 1024;

  /**
   * Refuses a file within its bound whose bytes this JVM cannot hold: more than a quarter of the
   * heap, the share evidence-core's bounded read and its JSON reader leave for a document's bytes.
   * The bounds are set for the largest genuine inputs (512 MiB of retention facts), so in a small
   * heap 50 MB of "[" was an {@code OutOfMemoryError} at the allocation, not a usage error.
   */
  private static void requireRoom(Path p, long size, String what) {
    long heap = Runtime.getRuntime().maxMemory();
    if (size > heap / 4) {
      throw new EvidenceCommand.UsageException(
          what
              + " "
              + p
              + " has "
              + size
              + " bytes, too many to read into memory: more than a quarter of this JVM's "
              + (heap >> 20)
              + " MiB heap (give it more with -Xmx if the file is genuine)");
    }
  }

  private static EvidenceCommand.UsageException tooLarge(Path p, int bound, String what) {
    String limit = bound % (1 << 20) == 0 ? (bound >> 20) + " MiB" : humanBytes(bound);
    return new EvidenceCommand.UsageException(what + " " + p + " is larger than " + limit);
  }

  /**
   * A regular, readable file, or a one-line usage error. Checked by name before the file is opened:
   * for a caller that hands the path on to the library (a recording to seal, probe or verify, a
   * key, a seal), a named pipe swapped in after this check and before the library opens the file
   * blocks that open until someone writes to the pipe. {@link #readBounded} closes most of that
   * window for the files the command reads whole.
   */
  static Path readableFile(Path p, String what) {
    if (!Files.exists(p)) {
      throw new EvidenceCommand.UsageException(what + " not found: " + p);
    }
    if (Files.isDirectory(p)) {
      throw new EvidenceCommand.UsageException(what + " is a directory, not a file: " + p);
    }
    if (!Files.isRegularFile(p)) {
      // a named pipe would block the command until someone writes to it
      throw new EvidenceCommand.UsageException(
          what + " is not a regular file (a pipe, socket or device): " + p);
    }
    if (!Files.isReadable(p)) {
      throw new EvidenceCommand.UsageException(
          "cannot read " + what + " (permission denied): " + p);
    }
    return p;
  }

  /** Whether {@code p} holds a seal (to tell a user who swapped the arguments). */
  static boolean isSeal(Path p) {
    try {
      Seal.read(p);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static Seal readSeal(Path p) throws IOException {
    readableFile(p, "seal");
    // the library's refusal names the file once, at its start
    try {
      return Seal.read(p);
    } catch (NotASealException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    } catch (SealFormatException e) {
      throw new EvidenceCommand.UsageException("malformed seal " + e.getMessage());
    }
  }

  /**
   * Writes {@code data} so that nobody ever sees a half-written file: a temporary file in the same
   * folder, fsync, atomic rename. Refuses to replace an existing file unless told to.
   */
  static void writeAtomically(Path target, byte[] data, boolean replace) throws IOException {
    writeAtomically(target, data, replace, null);
  }

  /**
   * As {@link #writeAtomically(Path, byte[], boolean)}, with POSIX permissions such as {@code
   * rw-r--r--} (or null: those of a new temporary file, 0600) set before the file becomes visible.
   */
  static void writeAtomically(Path target, byte[] data, boolean replace, String mode)
      throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (!replace && Files.exists(abs)) {
      throw new EvidenceCommand.UsageException(
          target + " already exists (use --force to replace it)");
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      if (mode != null) {
        try {
          Files.setPosixFilePermissions(
              tmp, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the user protects the file
        }
      }
      try {
        if (replace) {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          // a hard link fails if the target appeared meanwhile: create-only, atomically
          Files.createLink(abs, tmp);
        }
      } catch (AtomicMoveNotSupportedException | UnsupportedOperationException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        throw new EvidenceCommand.UsageException(
            target + " already exists (use --force to replace it)");
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Parses sizes such as {@code 1MiB}, {@code 64KiB}, {@code 4M}, {@code 1048576}. */
  /** How many skipped paths the one line of "nothing to ingest" or "nothing to analyze" names. */
  static final int SKIPPED_NAMED = 3;

  /**
   * The skipped paths of a search that found no recording, for its one-line refusal: how many, the
   * first {@value #SKIPPED_NAMED} with their reasons, and how many more; empty when none was. Said
   * so that a card of only debris, seal files or pipes reads as what it holds, not as an empty one.
   */
  static String skippedInOneLine(List<SkippedInput> skipped) {
    if (skipped.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("; ").append(skipped.size()).append(" skipped: ");
    for (int i = 0; i < Math.min(SKIPPED_NAMED, skipped.size()); i++) {
      SkippedInput s = skipped.get(i);
      b.append(i == 0 ? "" : "; ")
          .append(printable(s.path().toString()))
          .append(" (")
          .append(printable(s.reason()))
          .append(')');
    }
    if (skipped.size() > SKIPPED_NAMED) {
      b.append("; and ").append(skipped.size() - SKIPPED_NAMED).append(" more");
    }
    return b.toString();
  }

  /**
   * Text from outside (file names, keys, ids of old seals) made safe to print on one line: control
   * and format characters become \\uXXXX, so nothing can forge an output line.
   */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int t = Character.getType(c);
      if (t == Character.CONTROL
          || t == Character.FORMAT
          || t == Character.LINE_SEPARATOR
          || t == Character.PARAGRAPH_SEPARATOR
          || t == Character.SURROGATE) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return b.toString();
  }

  static int parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    String num = t;
    for (String[] suffix :
        new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"k", "1024"}, {"m", "1048576"}}) {
      if (t.endsWith(suffix[0])) {
        mult = Long.parseLong(suffix[1]);
        num = t.substring(0, t.length() - suffix[0].length());
        break;
      }
    }
    try {
      long v = Long.parseLong(num.trim()) * mult;
      if (v <= 0 || v > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new EvidenceCommand.UsageException(
          "invalid size '" + s + "': use bytes or a KiB/MiB suffix, e.g. 1MiB");
    }
  }

  static String humanBytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static Map<String, Object> roots(Map<HashAlgorithm, Digest> roots) {
    Map<String, Object> m = new LinkedHashMap<>();
    roots.forEach((a, d) -> m.put(a.name(), d.hex()));
    return m;
  }

  static Map<String, Object> reportJson(VerificationReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", r.verdict().name());
    m.put("sealedLength", r.sealedLength());
    m.put("contentLength", r.contentLength());
    List<Object> ranges = new java.util.ArrayList<>();
    for (ByteRange br : r.tamperedRanges()) {
      ranges.add(range(br));
    }
    m.put("tamperedRanges", ranges);
    List<Object> findings = new java.util.ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("code", f.code());
      fm.put("message", f.message());
      f.range().ifPresent(br -> fm.put("range", range(br)));
      findings.add(fm);
    }
    m.put("findings", findings);
    return m;
  }

  static Map<String, Object> range(ByteRange br) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offset", br.offset());
    m.put("length", br.length());
    return m;
  }

  static void printJson(PrintWriter out, Object value) {
    try {
      out.println(Json.MAPPER.writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static int exitCode(VerificationReport r) {
    switch (r.verdict()) {
      case INTACT:
        return EvidenceCommand.OK;
      case TAMPERED:
        return EvidenceCommand.FINDINGS;
      default:
        return EvidenceCommand.INCONCLUSIVE;
    }
  }

  /** {@code option}'s value as an age: "7d", "12h", "30m", "90s" or an ISO-8601 duration. */
  static Duration age(String option, String s) {
    Matcher m = Pattern.compile("(\\d{1,9})([dhms])").matcher(s.trim());
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
      }
      Duration d = Duration.parse(s.trim());
      if (d.isNegative()) {
        throw new DateTimeParseException("negative", s, 0);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new EvidenceCommand.UsageException(
          option + " '" + printable(s) + "' is not an age like 1d, 12h, 30m or PT30M");
    }
  }

  /** Parses {@code OFFSET:LENGTH} or {@code OFFSET-END} (end exclusive). */
  static ByteRange parseRange(String s) {
    try {
      int colon = s.indexOf(':');
      if (colon > 0) {
        return new ByteRange(
            Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
      }
      int dash = s.indexOf('-');
      if (dash > 0) {
        long a = Long.parseLong(s.substring(0, dash));
        long b = Long.parseLong(s.substring(dash + 1));
        return new ByteRange(a, b - a);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the usage message
    }
    throw new EvidenceCommand.UsageException(
        "invalid range '" + s + "': use OFFSET:LENGTH or START-END in bytes");
  }
}
