package org.evidencekit.seal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.CompactRange;
import org.evidencekit.internal.merkle.PackedLeaves;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.internal.seal.SegmentPipeline;

/**
 * Folds leaf hashes, delivered in order, into the leaf lists and tree frontiers of every algorithm,
 * and emits checkpoints. Runs on the producer thread only.
 */
final class SealAccumulator implements SegmentPipeline.Sink {
  private final SealSuite suite;
  private final int segmentSize;
  private final List<HashAlgorithm> algorithms;
  private final PackedLeaves[] leaves;
  private final CompactRange[] ranges;
  private final List<Checkpoint> checkpoints;
  private final int checkpointEvery;
  private final CheckpointListener listener;
  private final LongConsumer progress;
  private long length;
  private boolean partialSeen;

  SealAccumulator(
      SealSuite suite,
      int segmentSize,
      int checkpointEvery,
      CheckpointListener listener,
      LongConsumer progress,
      SealFrontier resumeFrom) {
    this.suite = suite;
    this.segmentSize = segmentSize;
    this.algorithms = suite.algorithms();
    this.leaves = new PackedLeaves[algorithms.size()];
    this.ranges = new CompactRange[algorithms.size()];
    this.checkpointEvery = checkpointEvery;
    this.listener = listener;
    this.progress = progress;
    for (int i = 0; i < algorithms.size(); i++) {
      TreeHasher h = new TreeHasher(algorithms.get(i));
      if (resumeFrom == null) {
        leaves[i] = new PackedLeaves(h.width(), 64);
        ranges[i] = new CompactRange(h);
      } else {
        PackedLeaves l = resumeFrom.leaves(algorithms.get(i));
        leaves[i] = l.prefix(l.size());
        ranges[i] = CompactRange.of(h, leaves[i], leaves[i].size());
      }
    }
    if (resumeFrom == null) {
      this.checkpoints = new ArrayList<>();
    } else {
      this.checkpoints = new ArrayList<>(resumeFrom.checkpoints());
      this.length = resumeFrom.length();
    }
  }

  long segments() {
    return leaves[0].size();
  }

  long length() {
    return length;
  }

  @Override
  public void accept(long index, int segmentLength, byte[][] leafHashes) {
    if (partialSeen) {
      throw new IllegalStateException("a short segment may only be the last");
    }
    for (int i = 0; i < leafHashes.length; i++) {
      leaves[i].add(leafHashes[i], 0);
      ranges[i].append(leafHashes[i], 0);
    }
    length += segmentLength;
    partialSeen = segmentLength < segmentSize;
    if (progress != null) {
      progress.accept(length);
    }
    if (checkpointEvery > 0 && !partialSeen && segments() % checkpointEvery == 0) {
      Checkpoint c = new Checkpoint(segments(), length, currentRoots());
      checkpoints.add(c);
      if (listener != null) {
        listener.onCheckpoint(c);
      }
    }
  }

  private Map<HashAlgorithm, Digest> currentRoots() {
    Map<HashAlgorithm, Digest> roots = new LinkedHashMap<>();
    for (int i = 0; i < algorithms.size(); i++) {
      roots.put(algorithms.get(i), Digest.of(ranges[i].root()));
    }
    return roots;
  }

  Seal toSeal() {
    Map<HashAlgorithm, PackedLeaves> l = new LinkedHashMap<>();
    for (int i = 0; i < algorithms.size(); i++) {
      l.put(algorithms.get(i), leaves[i].prefix(leaves[i].size()));
    }
    return new Seal(suite, segmentSize, length, currentRoots(), l, checkpoints);
  }

  /** The frontier of all whole segments; callers ensure no short segment was accepted. */
  SealFrontier toFrontier() {
    Map<HashAlgorithm, PackedLeaves> l = new LinkedHashMap<>();
    for (int i = 0; i < algorithms.size(); i++) {
      l.put(algorithms.get(i), leaves[i].prefix(leaves[i].size()));
    }
    return new SealFrontier(suite, segmentSize, l, checkpoints);
  }
}
