package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A written record made alongside the recording (Art. 14): its stated times must match the
 * recordings it cites, after clock correction.
 *
 * @param id the document's id
 * @param kind e.g. "inspection record", "hearing transcript"
 * @param stated the start and end written in the document
 * @param citedRecordings ids of the recordings it names
 * @param actionIds ids of the enforcement actions it was made for (may be empty)
 */
public record WrittenDocument(
    String id, String kind, Interval stated, List<String> citedRecordings, List<String> actionIds) {
  public WrittenDocument {
    requireNonNull(id, "id");
    requireNonNull(kind, "kind");
    requireNonNull(stated, "stated");
    citedRecordings = List.copyOf(citedRecordings);
    actionIds = List.copyOf(actionIds);
  }

  /** A document that names no action. */
  public WrittenDocument(String id, String kind, Interval stated, List<String> citedRecordings) {
    this(id, kind, stated, citedRecordings, List.of());
  }
}
