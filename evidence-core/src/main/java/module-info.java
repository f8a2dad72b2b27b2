/**
 * EvidenceKit core: streaming Merkle sealing, verification and RFC 9162 proofs. Only the API
 * packages are exported; {@code org.evidencekit.internal.*} is not.
 */
module org.evidencekit.core {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT (store.DirectWrites)
  requires static transitive org.jspecify;
  requires transitive org.evidencekit.storage;

  exports org.evidencekit.hash;
  exports org.evidencekit.merkle;
  exports org.evidencekit.seal;
  exports org.evidencekit.verify;
  exports org.evidencekit.store;
  exports org.evidencekit.trust;
  exports org.evidencekit.retention;
  exports org.evidencekit.continuity;
  exports org.evidencekit.ledger;
  exports org.evidencekit.crypt;

  provides org.evidencekit.storage.EvidenceStoreProvider with
      org.evidencekit.store.FileSystemEvidenceStoreProvider;
}
