package org.evidencekit.storage.tck;

import org.evidencekit.storage.EvidenceStore;

class InMemoryEvidenceStoreModelProperties extends EvidenceStoreModelProperties {
  @Override
  protected EvidenceStore openStore(StoreContext context) {
    return new InMemoryEvidenceStore(context.clock());
  }
}
