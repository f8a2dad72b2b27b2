package org.evidencekit.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evidence kek-gen}, {@code evidence encrypt}, {@code evidence decrypt}. */
final class CryptCommands {
  private CryptCommands() {}

  /** The key id of a key file: its name without extension, unless given. */
  static AesKeyEncryptionKey readKek(Path file, String id) throws IOException {
    Cli.readableFile(file, "key-encryption key");
    String name = file.getFileName().toString();
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".p12")
        || name.toLowerCase(java.util.Locale.ROOT).endsWith(".pfx")) {
      String pw = System.getenv(Trust.PASSWORD_ENV);
      if (pw == null) {
        throw new EvidenceCommand.UsageException(
            "set " + Trust.PASSWORD_ENV + " to the password of " + file);
      }
      try {
        return AesKeyEncryptionKey.readPkcs12(file, pw.toCharArray(), id);
      } catch (IOException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
    }
    String keyId =
        id != null ? id : name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    try {
      return AesKeyEncryptionKey.readHexFile(keyId, file);
    } catch (IOException | IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }

  /** {@code --kek FILE [--kek-id ID]}, shared by every command that takes a key-encryption key. */
  static final class KekOptions {
    @Option(
        names = "--kek",
        paramLabel = "FILE",
        description =
            "Key-encryption key: a hex file, or PKCS#12 (.p12, password in"
                + " $EVIDENCE_KEY_PASSWORD).")
    Path file;

    @Option(names = "--kek-id", description = "Its key id (default: the file name's stem).")
    String id;

    boolean given() {
      return file != null;
    }

    AesKeyEncryptionKey read() throws IOException {
      if (file == null) {
        throw new EvidenceCommand.UsageException("--kek is required");
      }
      return readKek(file, id);
    }
  }

  /** Streams into a temporary file beside {@code target}, then links it into place create-only. */
  interface Body {
    void write(FileChannel out) throws IOException;
  }

  static void writeNew(Path target, Body body) throws IOException {
    write(target, false, " already exists", body);
  }

  /**
   * As {@link #writeNew}, or, with {@code replace}, moved over an existing file atomically; a
   * refusal says to use --force.
   */
  static void write(Path target, boolean replace, Body body) throws IOException {
    write(target, replace, " already exists (use --force to replace it)", body);
  }

  private static void write(Path target, boolean replace, String exists, Body body)
      throws IOException {
    Path abs = target.toAbsolutePath();
    if (!replace && Files.exists(abs)) {
      throw new EvidenceCommand.UsageException(target + exists);
    }
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        body.write(ch);
        ch.force(true);
      }
      try {
        if (replace) {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.createLink(abs, tmp);
        }
      } catch (FileAlreadyExistsException e) {
        throw new EvidenceCommand.UsageException(target + exists);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Command(
      name = "kek-gen",
      mixinStandardHelpOptions = true,
      description =
          "Generate a 256-bit key-encryption key as 64 hex digits, readable by its owner only.",
      footer = {"", "Example:", "  evidence kek-gen -o kek-2026.hex"})
  static final class KekGen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-o", "--output"},
        required = true,
        description = "Key file to create.")
    Path output;

    @Override
    public Integer call() throws Exception {
      AesKeyEncryptionKey k = AesKeyEncryptionKey.generate("new");
      Path abs = output.toAbsolutePath();
      if (Files.exists(abs)) {
        throw new EvidenceCommand.UsageException(output + " already exists");
      }
      try {
        Files.createFile(
            abs,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(abs);
      }
      Files.writeString(abs, k.toHex() + "\n");
      String name = output.getFileName().toString();
      spec.commandLine()
          .getOut()
          .printf(
              "key-encryption key written to %s (key id '%s')%n",
              output, name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
      spec.commandLine().getOut().flush();
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "encrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Seal and encrypt a recording in one pass: writes FILE.enc (segmented AEAD under a fresh"
            + " data key wrapped by the key-encryption key) and FILE.seal.json (over the"
            + " plaintext; the ciphertext is bound to it)."
      },
      footer = {"", "Example:", "  evidence encrypt rec.mp4 --kek kek-2026.hex --suite sm4-gcm"})
  static final class Encrypt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file;

    @picocli.CommandLine.Mixin KekOptions kek = new KekOptions();

    @Option(
        names = "--suite",
        defaultValue = "aes-256-gcm",
        description = "aes-256-gcm or sm4-gcm (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(
        names = {"-o", "--output"},
        description = "Ciphertext (default: FILE.enc).")
    Path output;

    @Option(
        names = "--force",
        description = "Replace an existing ciphertext and FILE.seal.json (a seal made before).")
    boolean force;

    @Override
    public Integer call() throws Exception {
      Cli.readableFile(file, "recording");
      AeadSuite s =
          AeadSuite.forId(suite)
              .orElseThrow(
                  () ->
                      new EvidenceCommand.UsageException(
                          "unknown suite '" + suite + "' (aes-256-gcm or sm4-gcm)"));
      AesKeyEncryptionKey k = kek.read();
      Path out = output != null ? output : file.resolveSibling(file.getFileName() + ".enc");
      Path sealPath = file.resolveSibling(file.getFileName() + ".seal.json");
      if (!force && Files.exists(sealPath)) {
        throw new EvidenceCommand.UsageException(
            sealPath + " already exists (use --force to replace it)");
      }
      Seal[] seal = new Seal[1];
      write(
          out,
          force,
          ch -> {
            try (FileChannel in = Cli.openRegularFile(file, "recording");
                EncryptingChannel enc =
                    EncryptingChannel.create(ch, Sealer.create(), s, 1 << 20, k, in.size())) {
              ByteBuffer buf = ByteBuffer.allocate(1 << 20);
              while (in.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                  enc.write(buf);
                }
                buf.clear();
              }
              seal[0] = enc.finish();
            }
          });
      Cli.writeAtomically(sealPath, seal[0].toJson(), force);
      spec.commandLine()
          .getOut()
          .printf(
              "encrypted %s (%s, key %s) to %s; seal %s%n", file, s.id(), k.keyId(), out, sealPath);
      spec.commandLine().getOut().flush();
      return EvidenceCommand.OK;
    }
  }

  @Command(
      name = "decrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Decrypt a ciphertext made by 'evidence encrypt', authenticating every segment against"
            + " the key and the seal; with --range, read only the segments needed.",
        "Exit 0 decrypted, 1 the ciphertext fails authentication, 2 bad input."
      },
      footer = {
        "",
        "Example:",
        "  evidence decrypt rec.mp4.enc --seal rec.mp4.seal.json --kek kek-2026.hex -o rec.mp4"
      })
  static final class Decrypt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.enc", description = "The ciphertext.")
    Path file;

    @Option(names = "--seal", required = true, description = "The recording's seal.")
    Path sealFile;

    @picocli.CommandLine.Mixin KekOptions kek = new KekOptions();

    @Option(names = "--range", paramLabel = "OFFSET:LENGTH", description = "Only these bytes.")
    String range;

    @Option(
        names = {"-o", "--output"},
        required = true,
        description = "Plaintext to create.")
    Path output;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      Cli.readableFile(file, "ciphertext");
      Seal seal = Cli.readSeal(sealFile);
      AesKeyEncryptionKey k = kek.read();
      try (FileChannel in = Cli.openRegularFile(file, "ciphertext")) {
        EncryptedRecording r = EncryptedRecording.open(in, seal, List.of(k));
        if (range != null) {
          ByteRange br = Cli.parseRange(range);
          if (br.end() > r.plaintextLength() || br.length() > Integer.MAX_VALUE - 8) {
            throw new EvidenceCommand.UsageException(
                "range " + br + " is beyond the recording's " + r.plaintextLength() + " bytes");
          }
          byte[] part = r.read(br.offset(), (int) br.length());
          write(output, force, ch -> ch.write(ByteBuffer.wrap(part)));
        } else {
          write(output, force, r::decryptTo);
        }
      } catch (DecryptionException e) {
        spec.commandLine().getOut().println("NOT DECRYPTED: " + e.getMessage());
        spec.commandLine().getOut().flush();
        return EvidenceCommand.FINDINGS;
      }
      spec.commandLine().getOut().printf("decrypted %s to %s%n", file, output);
      spec.commandLine().getOut().flush();
      return EvidenceCommand.OK;
    }
  }
}
