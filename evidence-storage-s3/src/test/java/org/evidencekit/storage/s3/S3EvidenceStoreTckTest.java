package org.evidencekit.storage.s3;

import java.io.IOException;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.tck.EvidenceStoreTck;
import org.evidencekit.storage.tck.StoreContext;

/** The conformance kit against a real S3 server with Object Lock. */
class S3EvidenceStoreTckTest extends EvidenceStoreTck {
  @Override
  protected EvidenceStore openStore(StoreContext context) throws IOException {
    return S3TestServer.open("tck/" + context.id());
  }
}
