/** The EvidenceKit storage SPI. JDK only. */
module org.evidencekit.storage {
  requires static org.jspecify;

  exports org.evidencekit.storage;

  uses org.evidencekit.storage.EvidenceStoreProvider;
}
