package org.evidencekit.storage.s3;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik container without {@code S3_ENDPOINT}, reported as skipped (a JUnit assumption in a
 * property would count as a rejected try instead).
 */
public final class NeedsS3Server implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    String e = System.getenv("S3_ENDPOINT");
    return e == null || e.isBlank()
        ? SkipResult.skip("S3_ENDPOINT is not set: S3 integration tests skipped")
        : SkipResult.doNotSkip();
  }
}
