package org.evidencekit.seal;

/**
 * Receives the checkpoints of a stream being sealed, on the thread that writes to or reads from the
 * sealer, in order. A live upload persists or publishes each one, so an interrupted stream stays
 * provable up to its last checkpoint.
 */
@FunctionalInterface
public interface CheckpointListener {
  void onCheckpoint(Checkpoint checkpoint);
}
