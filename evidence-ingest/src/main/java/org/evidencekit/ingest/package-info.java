/**
 * The ingest station as a library. {@link org.evidencekit.ingest.IngestStation} does the station's
 * whole job for an {@link org.evidencekit.ingest.IngestRequest} and answers with a typed {@link
 * org.evidencekit.ingest.IngestResult}; {@link org.evidencekit.ingest.TimelineMapping} is the one
 * place where a probed media timeline becomes the continuity analyzer's {@code RecordingSpan}.
 *
 * <p>Many stations, one archive: every step that two stations could race on is decided by a
 * create-only object of the store (the content object, the ledger's next batch), never by a local
 * lock, so any number of processes or machines may ingest into one store at once.
 */
@NullMarked
package org.evidencekit.ingest;

import org.jspecify.annotations.NullMarked;
