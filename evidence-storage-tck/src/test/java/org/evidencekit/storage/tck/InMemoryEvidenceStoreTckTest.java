package org.evidencekit.storage.tck;

import org.evidencekit.storage.EvidenceStore;

/** The reference store passes the whole kit. */
class InMemoryEvidenceStoreTckTest extends EvidenceStoreTck {
  @Override
  protected EvidenceStore openStore(StoreContext context) {
    return new InMemoryEvidenceStore(context.clock());
  }
}
