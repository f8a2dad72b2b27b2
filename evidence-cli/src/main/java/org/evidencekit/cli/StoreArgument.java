package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.report.ArchiveCatalog;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Selection;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import picocli.CommandLine.Option;

/** {@code --store STORE} of an existing store, read into a {@link Selection}. */
final class StoreArgument {
  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description = "A folder or a URI (file:…, s3://bucket/prefix?endpoint=URL).")
  String spec;

  @Option(
      names = "--ledger-trust",
      paramLabel = "PEM",
      description =
          "The ledger key's public key (PEM, repeatable): catalog snapshots it signed (written by"
              + " 'evidence ledger checkpoint') are read instead of the whole ledger. Without it,"
              + " or when none checks, the whole ledger is read.")
  List<Path> ledgerTrust = new ArrayList<>();

  /**
   * The selection; each catalog snapshot passed over (planted, edited, signed by a key not given
   * with {@code --ledger-trust}) is named on {@code err}, one line each.
   */
  Selection select(CatalogQuery query, PrintWriter err) throws IOException {
    try (EvidenceStore st = Stores.open(spec, false)) {
      ArchiveCatalog catalog =
          ArchiveCatalog.open(
              EvidenceArchive.openFromCheckpoint(st, Clock.systemUTC()),
              Stores.location(spec),
              Clock.systemUTC(),
              ledgerTrust.isEmpty() ? TrustAnchors.none() : TrustAnchors.fromPem(ledgerTrust));
      for (String r : catalog.snapshotsRefused()) {
        err.println("evidence: catalog snapshot refused, the ledger read instead: " + r);
      }
      err.flush();
      return catalog.select(query);
    }
  }
}
