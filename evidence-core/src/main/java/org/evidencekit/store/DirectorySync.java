package org.evidencekit.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Shared fsyncs of a directory (group commit). A thread that has just changed a directory's entries
 * (renamed an object into it) needs an fsync of that directory that <em>began after</em> its
 * change: POSIX makes durable, at the end of an fsync, every change made before it began. Several
 * threads committing into one folder at once (a run's recordings all go to one device-and-day
 * folder) share such fsyncs: a thread that finds one in flight waits for it to end and then for the
 * next, which it starts itself unless another waiter already has; one fsync thus covers every
 * change made before it began. Nobody is ever told "durable" on the strength of an fsync that began
 * before its change, and an fsync that fails covers nobody: its waiters go on to the next one.
 *
 * <p>At most one fsync of a directory runs at a time (per instance); different directories do not
 * wait for each other.
 */
final class DirectorySync {
  /** The directory fsync itself. */
  @FunctionalInterface
  interface Fsync {
    void run(Path dir) throws IOException;
  }

  /** Directories kept beyond this many are dropped once idle (a fresh gate is only less shared). */
  private static final int KEEP = 256;

  private final ConcurrentHashMap<Path, Gate> gates = new ConcurrentHashMap<>();
  private final Fsync fsync;

  DirectorySync(Fsync fsync) {
    this.fsync = fsync;
  }

  /**
   * Returns once an fsync of {@code dir} that began after this call began has ended successfully;
   * throws the failure of the fsync this thread ran, if it failed.
   */
  void sync(Path dir) throws IOException {
    Gate g = gates.computeIfAbsent(dir, d -> new Gate());
    try {
      g.sync(dir);
    } finally {
      if (gates.size() > KEEP && g.idle()) {
        gates.remove(dir, g);
      }
    }
  }

  /** Threads inside {@link #sync} for {@code dir} now, waiting or running its fsync (for tests). */
  int inside(Path dir) {
    Gate g = gates.get(dir);
    if (g == null) {
      return 0;
    }
    g.lock.lock();
    try {
      return g.inside;
    } finally {
      g.lock.unlock();
    }
  }

  private final class Gate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();

    /** fsyncs begun so far; they are numbered 1, 2, ... and run one at a time. */
    private long begun;

    /** The number of the latest fsync that ended successfully (0: none). */
    private long durable;

    private boolean running;
    private int inside;

    void sync(Path dir) throws IOException {
      lock.lock();
      try {
        inside++;
        // fsyncs numbered after `begun` begin after this moment, so after the caller's change
        long need = begun + 1;
        while (durable < need) {
          if (running) {
            ended.awaitUninterruptibly(); // an fsync takes milliseconds; it is never abandoned
            continue;
          }
          running = true;
          long mine = ++begun;
          boolean ok = false;
          lock.unlock();
          try {
            fsync.run(dir);
            ok = true;
          } finally {
            lock.lock();
            running = false;
            if (ok) {
              durable = mine;
            }
            ended.signalAll();
          }
        }
      } finally {
        inside--;
        lock.unlock();
      }
    }

    boolean idle() {
      lock.lock();
      try {
        return inside == 0 && !running;
      } finally {
        lock.unlock();
      }
    }
  }
}
