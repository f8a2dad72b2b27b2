package org.evidencekit.crypt;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads SM4-GCM segments are encrypted and decrypted on beside the caller: one daemon thread
 * per core, idle ones exit after a second, so nothing is left running. Not the common fork-join
 * pool, which has one thread fewer than there are cores (a single one on two cores) and which the
 * application's parallel streams share.
 */
final class CryptPool {
  static final ThreadPoolExecutor EXECUTOR = create();

  private CryptPool() {}

  private static ThreadPoolExecutor create() {
    int n = Runtime.getRuntime().availableProcessors();
    AtomicInteger ids = new AtomicInteger();
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            n,
            n,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "evidencekit-crypt-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    e.allowCoreThreadTimeOut(true);
    return e;
  }
}
