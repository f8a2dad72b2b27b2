package org.evidencekit.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;

/**
 * Child process for {@link LedgerCrashTest}: appends from four threads, publishes a checkpoint,
 * keeps appending until killed.
 */
public final class CrashingAppender {
  private CrashingAppender() {}

  public static void main(String[] args) throws Exception {
    FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(Path.of(args[0]), Clock.systemUTC());
    EvidenceLedger ledger = EvidenceLedger.open(store, Clock.systemUTC());
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    Files.write(Path.of(args[1]), key.publicKeyDer());
    AtomicInteger n = new AtomicInteger();
    for (int i = 0; i < 300; i++) {
      ledger.append(EvidenceLedgerTest.entry(n.getAndIncrement()));
    }
    ledger.checkpoint(key);
    System.out.println("CHECKPOINTED");
    System.out.flush();
    Runnable r =
        () -> {
          try {
            while (true) {
              ledger.append(EvidenceLedgerTest.entry(n.getAndIncrement()));
            }
          } catch (Exception e) {
            e.printStackTrace();
          }
        };
    for (int t = 0; t < 4; t++) {
      new Thread(r).start();
    }
  }
}
