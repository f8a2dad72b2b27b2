package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the device marked on one recording: when the party was told it is recorded and by whom (Art.
 * 12, by the device's clock like the recording itself), and whether the file was locked as an EVENT
 * file, which loop recording does not overwrite (Art. 7(2)).
 *
 * @param id the recording's id (its file name)
 * @param partyInformed when the party was told
 * @param partyInformedBy who told them; only with {@code partyInformed}
 * @param locked whether the file was locked
 */
public record RecordingMarkers(
    String id, Optional<Instant> partyInformed, Optional<String> partyInformedBy, boolean locked) {
  /**
   * @throws IllegalArgumentException if the id or who told the party is blank, or who is given
   *     without when
   */
  public RecordingMarkers {
    requireNonNull(id, "id");
    requireNonNull(partyInformed, "partyInformed");
    requireNonNull(partyInformedBy, "partyInformedBy");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a recording id must not be empty");
    }
    if (partyInformedBy.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException(
          "recording " + id + ": who informed the party must not be empty");
    }
    if (partyInformedBy.isPresent() && partyInformed.isEmpty()) {
      throw new IllegalArgumentException(
          "recording " + id + ": 'partyInformedBy' needs 'partyInformed' (when)");
    }
  }
}
