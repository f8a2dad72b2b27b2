/**
 * EvidenceKit core: streaming Merkle sealing, verification and RFC 9162 proofs. Only the API
 * packages are exported; {@code org.evidencekit.internal.*} is not.
 */
module org.evidencekit.core {
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;
  requires transitive org.evidencekit.storage;

  exports org.evidencekit.hash;
  exports org.evidencekit.merkle;
  exports org.evidencekit.seal;
  exports org.evidencekit.verify;
  exports org.evidencekit.store;

  provides org.evidencekit.storage.EvidenceStoreProvider with
      org.evidencekit.store.FileSystemEvidenceStoreProvider;
}
