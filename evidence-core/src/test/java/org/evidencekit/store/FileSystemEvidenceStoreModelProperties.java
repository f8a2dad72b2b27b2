package org.evidencekit.store;

import java.io.IOException;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.tck.EvidenceStoreModelProperties;
import org.evidencekit.storage.tck.StoreContext;

class FileSystemEvidenceStoreModelProperties extends EvidenceStoreModelProperties {
  @Override
  protected EvidenceStore openStore(StoreContext context) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(
        context.directory().resolve("store"), context.clock());
  }
}
