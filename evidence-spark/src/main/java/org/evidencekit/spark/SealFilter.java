package org.evidencekit.spark;

import java.io.Serializable;
import java.util.function.Predicate;
import org.evidencekit.seal.Seal;

/**
 * Which sealed recordings a spot check draws from (a device, an officer, a period), judged on the
 * executors from each stored seal; serializable because it travels there.
 */
@FunctionalInterface
public interface SealFilter extends Predicate<Seal>, Serializable {
  /** Every recording. */
  static SealFilter all() {
    return s -> true;
  }
}
