package org.evidencekit.cli;

import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * Which recordings a report or record sheet covers: {@code --case --device --officer --from --to}.
 */
final class CatalogOptions {
  @Option(names = "--case", paramLabel = "ID", description = "Only recordings of this case.")
  String caseId;

  @Option(names = "--device", paramLabel = "ID", description = "Only this device's recordings.")
  String device;

  @Option(names = "--officer", paramLabel = "ID", description = "Only this officer's recordings.")
  String officer;

  @Option(names = "--from", paramLabel = "ISO", description = "Only recordings ending after this.")
  Instant from;

  @Option(names = "--to", paramLabel = "ISO", description = "Only recordings starting before this.")
  Instant to;

  StoreCatalog.Filter filter() {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new EvidenceCommand.UsageException("--from must be before --to");
    }
    StoreCatalog.Filter f = new StoreCatalog.Filter();
    f.caseId = caseId;
    f.device = device;
    f.officer = officer;
    f.from = from;
    f.to = to;
    return f;
  }
}
