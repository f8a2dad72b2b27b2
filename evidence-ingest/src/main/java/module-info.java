/**
 * EvidenceKit ingest station: probe, seal, bind metadata, sign, timestamp, store, log, chain and
 * retain recordings, any number of stations into one archive
 * at once; the one mapping from a media timeline to the continuity analyzer's input; and the
 * documents people read, the supervisor report and the record sheet.
 */
module org.evidencekit.ingest {
  requires transitive org.evidencekit.core;
  requires transitive org.evidencekit.video;
  requires transitive org.evidencekit.storage;
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports org.evidencekit.ingest;
  exports org.evidencekit.report;
}
