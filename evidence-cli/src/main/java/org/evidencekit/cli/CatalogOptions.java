package org.evidencekit.cli;

import java.time.Instant;
import org.evidencekit.report.CatalogQuery;
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

  /** A query builder with the selection given; the caller adds what to check. */
  CatalogQuery.Builder query() {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new EvidenceCommand.UsageException("--from must be before --to");
    }
    CatalogQuery.Builder b = CatalogQuery.builder();
    if (caseId != null) {
      b.caseId(caseId);
    }
    if (device != null) {
      b.device(device);
    }
    if (officer != null) {
      b.officer(officer);
    }
    if (from != null) {
      b.from(from);
    }
    if (to != null) {
      b.to(to);
    }
    return b;
  }
}
