/** The EvidenceKit storage SPI. JDK only. */
module org.evidencekit.storage {
  exports org.evidencekit.storage;

  uses org.evidencekit.storage.EvidenceStoreProvider;
}
