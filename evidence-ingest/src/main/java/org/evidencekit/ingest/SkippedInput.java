package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A path found in a folder of the request and not ingested, with the reason: every file a folder
 * held is either ingested or listed here, never passed over without a word.
 *
 * @param path the path
 * @param reason why it was left out
 */
public record SkippedInput(Path path, String reason) {
  public SkippedInput {
    requireNonNull(path, "path");
    requireNonNull(reason, "reason");
  }
}
