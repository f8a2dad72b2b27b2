package org.evidencekit.store;

import java.io.IOException;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.tck.EvidenceStoreTck;
import org.evidencekit.storage.tck.StoreContext;

/** The filesystem store passes the whole conformance kit. */
class FileSystemEvidenceStoreTckTest extends EvidenceStoreTck {
  @Override
  protected EvidenceStore openStore(StoreContext context) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(
        context.directory().resolve("store"), context.clock());
  }
}
