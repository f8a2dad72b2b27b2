package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;

/**
 * Proves that the bytes of a range are part of a sealed recording without the rest of it: the
 * segments the range touches, each with an RFC 9162 inclusion proof to the seal's root. Checked by
 * {@code Verifier.verifyRangeProof} against a trusted root (the one the signature covers). Stored
 * as canonical JSON, format {@value #FORMAT}.
 */
public final class RangeProof {
  /** The stored format name and version; frozen. */
  public static final String FORMAT = "evidencekit.range-proof/1";

  private final HashAlgorithm algorithm;
  private final int segmentSize;
  private final long contentLength;
  private final long treeSize;
  private final Digest root;
  private final int firstSegment;
  private final List<List<Digest>> inclusionProofs;
  private final ByteRange range;

  RangeProof(
      HashAlgorithm algorithm,
      int segmentSize,
      long contentLength,
      long treeSize,
      Digest root,
      int firstSegment,
      List<List<Digest>> inclusionProofs,
      ByteRange range) {
    this.algorithm = algorithm;
    this.segmentSize = segmentSize;
    this.contentLength = contentLength;
    this.treeSize = treeSize;
    this.root = root;
    this.firstSegment = firstSegment;
    List<List<Digest>> copy = new java.util.ArrayList<>(inclusionProofs.size());
    for (List<Digest> p : inclusionProofs) {
      copy.add(List.copyOf(p));
    }
    this.inclusionProofs = List.copyOf(copy);
    this.range = range;
  }

  /** Parses a stored range proof. */
  public static RangeProof parse(byte[] json) throws SealFormatException {
    requireNonNull(json, "json");
    return SealJson.decodeRangeProof(json);
  }

  /** RFC 8785 canonical JSON. */
  public byte[] toJson() {
    return SealJson.encode(this);
  }

  public HashAlgorithm algorithm() {
    return algorithm;
  }

  public int segmentSize() {
    return segmentSize;
  }

  /** Length of the whole sealed content. */
  public long contentLength() {
    return contentLength;
  }

  /** Number of leaves of the sealed tree. */
  public long treeSize() {
    return treeSize;
  }

  /** The root the proof leads to; compare it with a trusted root. */
  public Digest root() {
    return root;
  }

  /** The range that was asked for. */
  public ByteRange range() {
    return range;
  }

  /** Index of the first covered segment. */
  public int firstSegment() {
    return firstSegment;
  }

  /** Number of covered segments. */
  public int segmentCount() {
    return inclusionProofs.size();
  }

  /** The segment-aligned bytes whose hashes the proof needs. */
  public ByteRange coveredRange() {
    long off = (long) firstSegment * segmentSize;
    long end = Math.min(contentLength, (long) (firstSegment + segmentCount()) * segmentSize);
    return new ByteRange(off, end - off);
  }

  /** The inclusion proof of the {@code i}-th covered segment. */
  public List<Digest> inclusionProof(int i) {
    return inclusionProofs.get(i);
  }

  List<List<Digest>> inclusionProofs() {
    return inclusionProofs;
  }
}
