package org.evidencekit.storage.s3;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.tck.EvidenceStoreModelProperties;
import org.evidencekit.storage.tck.StoreContext;

/** The kit's model property against a real S3 server; fewer tries, each costs network calls. */
@AddLifecycleHook(NeedsS3Server.class)
class S3EvidenceStoreModelProperties extends EvidenceStoreModelProperties {
  @Override
  protected EvidenceStore openStore(StoreContext context) throws IOException {
    return S3TestServer.open("model/" + context.id());
  }

  @Override
  @Property(tries = 30)
  protected void everySequenceOfOperationsMatchesTheModel(@ForAll("scenarios") List<Op> ops)
      throws IOException {
    super.everySequenceOfOperationsMatchesTheModel(ops);
  }
}
