package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.PackedLeaves;

/**
 * What a sealer needs to continue after a crash without re-reading what it sealed: the suite, the
 * segment size, the leaf hashes of every whole segment sealed so far and the checkpoints. The tree
 * frontier is recomputed from the leaves on resume (log n hashes per leaf, in memory), so nothing
 * derivable is stored twice. The content to send on resume starts at {@link #length()}. Stored as
 * canonical JSON, format {@value #FORMAT}.
 */
public final class SealFrontier {
  /** The stored format name and version; frozen. */
  public static final String FORMAT = "evidencekit.seal-frontier/1";

  private final SealSuite suite;
  private final int segmentSize;
  private final Map<HashAlgorithm, PackedLeaves> leaves;
  private final List<Checkpoint> checkpoints;

  SealFrontier(
      SealSuite suite,
      int segmentSize,
      Map<HashAlgorithm, PackedLeaves> leaves,
      List<Checkpoint> checkpoints) {
    this.suite = suite;
    this.segmentSize = segmentSize;
    this.leaves = Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
    this.checkpoints = List.copyOf(checkpoints);
  }

  public static SealFrontier parse(byte[] json) throws SealFormatException {
    requireNonNull(json, "json");
    return SealJson.decodeFrontier(json);
  }

  public static SealFrontier read(Path path) throws IOException {
    requireNonNull(path, "path");
    return parse(Seal.readBounded(path, Seal.DEFAULT_MAX_DOCUMENT_BYTES));
  }

  public byte[] toJson() {
    return SealJson.encode(this);
  }

  public SealSuite suite() {
    return suite;
  }

  public int segmentSize() {
    return segmentSize;
  }

  /** Whole segments sealed. */
  public long segments() {
    return leaves.get(suite.primary()).size();
  }

  /** Bytes sealed; resume sending content from this offset. */
  public long length() {
    return segments() * segmentSize;
  }

  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  PackedLeaves leaves(HashAlgorithm algorithm) {
    return leaves.get(algorithm);
  }
}
