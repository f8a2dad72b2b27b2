package org.evidencekit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evidence ledger rewrap}: key rotation of a recording stored encrypted, logged. */
@Command(
    name = "rewrap",
    mixinStandardHelpOptions = true,
    description = {
      "Rotate the key-encryption key of a recording stored encrypted (R-05): its data key is"
          + " re-wrapped under --new-kek (segments and nonce prefix unchanged), the stored"
          + " ciphertext replaced, and a 'rewrapped' entry logs both key ids, who and why, so that"
          + " 'sweep' and exports expect the new key.",
      "A ciphertext already re-wrapped under --new-kek by hand is checked and only logged. Refused,"
          + " nothing changed, when the stored ciphertext is not the one logged, --kek is not the"
          + " key it is logged under, or the store retains the recording (retention, legal hold)."
    },
    footer = {
      "",
      "Example:",
      "  ${COMMAND-FULL-NAME} store CAM-7/rec.mp4 --kek kek-2026.hex --new-kek kek-2027.hex \\",
      "      --actor key-officer --reason 'yearly rotation'"
    })
final class RewrapCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "STORE",
      description = "Store: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
  String store;

  @Parameters(index = "1", paramLabel = "KEY", description = "The recording's object key.")
  String object;

  @Mixin CryptCommands.KekOptions kek = new CryptCommands.KekOptions();

  @Option(
      names = "--new-kek",
      required = true,
      paramLabel = "FILE",
      description = "The key-encryption key to wrap under from now on (hex file or PKCS#12).")
  Path newKek;

  @Option(names = "--new-kek-id", description = "Its key id (default: the file name's stem).")
  String newKekId;

  @Option(names = "--actor", required = true, description = "Who rotates the key.")
  String actor;

  @Option(names = "--reason", required = true, description = "Why.")
  String reason;

  @Mixin ClockOptions clock = new ClockOptions();

  @Override
  public Integer call() throws Exception {
    AesKeyEncryptionKey old = kek.read();
    AesKeyEncryptionKey next = CryptCommands.readKek(newKek, newKekId);
    try (EvidenceStore s = LedgerCommand.store(store)) {
      EvidenceArchive archive = LedgerCommand.trustedArchive(s, clock, spec);
      long index = archive.rewrap(object, old, next, actor, reason);
      LedgerEntry e = archive.ledger().entry(index);
      spec.commandLine()
          .getOut()
          .printf(
              "rewrapped %s: key '%s' -> '%s', nonce prefix %s unchanged; logged at entry %d%n",
              object, old.keyId(), next.keyId(), e.details().get("noncePrefix"), index);
      spec.commandLine().getOut().flush();
    }
    return EvidenceCommand.OK;
  }
}
