package org.evidencekit.cli;

import org.evidencekit.hash.HashAlgorithm;

/**
 * Gets the hash code paths compiled while the command line is still being parsed. A fresh JVM
 * hashes its first megabytes in the interpreter until the JIT compiles the SHA-256 intrinsic; doing
 * that on the idle second core while picocli builds its model takes it off the critical path of a
 * one-shot {@code evidence seal}. A daemon thread: it never delays exit.
 */
final class HashWarmup {
  private HashWarmup() {}

  static void start() {
    Thread t =
        new Thread(
            () -> {
              byte[] chunk = new byte[64 * 1024];
              for (int i = 0; i < 64; i++) {
                HashAlgorithm.SHA256.hash(chunk);
              }
              for (int i = 0; i < 8; i++) {
                HashAlgorithm.SM3.hash(chunk);
              }
            },
            "evidencekit-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
