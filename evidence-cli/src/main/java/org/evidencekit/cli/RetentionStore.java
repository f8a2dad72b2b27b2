package org.evidencekit.cli;

import java.io.IOException;
import java.time.Clock;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.HighWaterMarkClock;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Option;

/**
 * {@code --store} and the trusted-clock options of the retention commands that change the store:
 * the clock is anchored on the store's ledger and a mark file; initialising it or accepting a jump
 * names a person and a reason, which the ledger records.
 */
final class RetentionStore {
  @Option(
      names = "--store",
      paramLabel = "STORE",
      description = "A folder or a URI (file:…, s3://bucket/prefix?endpoint=URL).")
  String spec;

  @picocli.CommandLine.Mixin ClockOptions clockOptions = new ClockOptions();

  EvidenceStore open() throws IOException {
    if (spec == null) {
      throw new EvidenceCommand.UsageException("this needs --store");
    }
    return Stores.open(spec, false);
  }

  static EvidenceLedger ledger(EvidenceStore store) throws IOException {
    return EvidenceLedger.open(store, Clock.systemUTC());
  }

  /** The trusted clock, initialised or moved on first if the options say so (see ClockOptions). */
  HighWaterMarkClock clock(EvidenceLedger ledger, java.io.PrintWriter err) throws IOException {
    return clockOptions.clock(ledger, err);
  }
}
