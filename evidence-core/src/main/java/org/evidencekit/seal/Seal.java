package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.MerkleMath;
import org.evidencekit.internal.merkle.PackedLeaves;
import org.evidencekit.internal.merkle.TreeHasher;
import org.jspecify.annotations.Nullable;

/**
 * The seal of one recording: its length, segmentation, the RFC 9162 Merkle root of each algorithm
 * of the suite, every leaf hash (so verification can name the changed byte ranges and any range can
 * be proven alone), and the checkpoints emitted while it was sealed.
 *
 * <p>A seal read from storage is exactly what was stored, even when its parts disagree; the {@code
 * Verifier} judges that. Stored as RFC 8785 canonical JSON ({@link #toJson()}), format {@value
 * #FORMAT}, documented in {@code docs/seal-format.md}.
 */
public final class Seal {
  /** The stored format name and version; frozen. */
  public static final String FORMAT = "evidencekit.seal/1";

  /** Largest seal document {@link #read(Path)} accepts by default: 256 MiB. */
  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 256L << 20;

  private final SealSuite suite;
  private final int segmentSize;
  private final long length;
  private final Map<HashAlgorithm, Digest> roots;
  private final Map<HashAlgorithm, PackedLeaves> leaves;
  private final List<Checkpoint> checkpoints;
  private final @Nullable RecordingMetadata metadata;
  private final @Nullable SealSignature signature;

  /**
   * The stored form and its digest, made once: a station writes a seal twice (staged, then at its
   * key), names its digest in the ledger entry and in the next seal, and each used to encode the
   * whole seal again. Racy but benign: the value is a pure function of the immutable fields.
   */
  private volatile byte @Nullable [] json;

  private volatile @Nullable Digest digest;

  Seal(
      SealSuite suite,
      int segmentSize,
      long length,
      Map<HashAlgorithm, Digest> roots,
      Map<HashAlgorithm, PackedLeaves> leaves,
      List<Checkpoint> checkpoints) {
    this(suite, segmentSize, length, roots, leaves, checkpoints, null, null);
  }

  Seal(
      SealSuite suite,
      int segmentSize,
      long length,
      Map<HashAlgorithm, Digest> roots,
      Map<HashAlgorithm, PackedLeaves> leaves,
      List<Checkpoint> checkpoints,
      @Nullable RecordingMetadata metadata,
      @Nullable SealSignature signature) {
    this.suite = suite;
    this.segmentSize = segmentSize;
    this.length = length;
    this.roots = Collections.unmodifiableMap(new LinkedHashMap<>(roots));
    this.leaves = Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
    this.checkpoints = List.copyOf(checkpoints);
    this.metadata = metadata;
    this.signature = signature;
  }

  /** The recording metadata bound into this seal, if any. */
  public Optional<RecordingMetadata> metadata() {
    return Optional.ofNullable(metadata);
  }

  /** The signature, if the seal is signed. */
  public Optional<SealSignature> signature() {
    return Optional.ofNullable(signature);
  }

  /**
   * This seal with {@code metadata} bound in and no signature (metadata changes what is signed).
   */
  public Seal withMetadata(RecordingMetadata metadata) {
    requireNonNull(metadata, "metadata");
    return new Seal(suite, segmentSize, length, roots, leaves, checkpoints, metadata, null);
  }

  /** This seal carrying {@code signature}; whether it is valid is the verifier's question. */
  public Seal withSignature(SealSignature signature) {
    requireNonNull(signature, "signature");
    return new Seal(suite, segmentSize, length, roots, leaves, checkpoints, metadata, signature);
  }

  /**
   * The bytes a signature covers: the RFC 8785 canonical JSON of this seal without its {@code
   * signature} member (docs/seal-format.md, "Signature").
   */
  public byte[] signedPayload() {
    return SealJson.encode(this, false);
  }

  /** SHA-256 of the stored form ({@link #toJson()}): what the next seal of a device names. */
  public Digest digest() {
    Digest d = digest;
    if (d == null) {
      d = HashAlgorithm.SHA256.hash(json());
      digest = d;
    }
    return d;
  }

  /** Parses a stored seal. */
  public static Seal parse(byte[] json) throws SealFormatException {
    requireNonNull(json, "json");
    return SealJson.decodeSeal(json);
  }

  /**
   * Reads and parses a seal file of at most {@link #DEFAULT_MAX_DOCUMENT_BYTES}. Every refusal
   * names {@code path} once, at its start ({@code "PATH is not a seal (…)"}, {@code "PATH: …"} for
   * a malformed one, {@code "PATH is larger than …"}, {@code "PATH has N bytes, too many …"}), so a
   * caller prints it as it is.
   *
   * @throws NotASealException if the file is no seal at all (text, another format)
   * @throws SealFormatException if it is a malformed seal, or larger than the bound or the heap
   */
  public static Seal read(Path path) throws IOException {
    requireNonNull(path, "path");
    byte[] b = readBounded(path, DEFAULT_MAX_DOCUMENT_BYTES);
    try {
      return parse(b);
    } catch (NotASealException e) {
      throw new NotASealException(path + " is " + e.getMessage());
    } catch (SealFormatException e) {
      throw new SealFormatException(path + ": " + e.getMessage());
    }
  }

  static byte[] readBounded(Path path, long max) throws IOException {
    return org.evidencekit.internal.io.BoundedFiles.readRegularFile(
        path,
        max,
        size -> new SealFormatException(path + " is larger than " + max + " bytes: not a seal"),
        SealFormatException::new);
  }

  /** RFC 8785 canonical JSON of this seal. */
  public byte[] toJson() {
    return json().clone();
  }

  private byte[] json() {
    byte[] j = json;
    if (j == null) {
      j = SealJson.encode(this, true);
      json = j;
    }
    return j;
  }

  public SealSuite suite() {
    return suite;
  }

  /** Segment size in bytes: a power of two from 64 KiB to 64 MiB. */
  public int segmentSize() {
    return segmentSize;
  }

  /** Content length in bytes. */
  public long length() {
    return length;
  }

  /** Number of segments (leaves): {@code ceil(length / segmentSize)}. */
  public int segmentCount() {
    return leaves.get(suite.primary()).size();
  }

  /** The Merkle root of each algorithm of the suite, as stored. */
  public Map<HashAlgorithm, Digest> roots() {
    return roots;
  }

  /** The stored root of one algorithm. */
  public Digest root(HashAlgorithm algorithm) {
    requireNonNull(algorithm, "algorithm");
    Digest d = roots.get(algorithm);
    if (d == null) {
      throw new IllegalArgumentException("suite " + suite + " has no " + algorithm + " tree");
    }
    return d;
  }

  /** Leaf hash {@code index} of one algorithm's tree. */
  public Digest leafHash(HashAlgorithm algorithm, int index) {
    return packed(algorithm).get(index);
  }

  /** All leaf hashes of one algorithm's tree, in segment order. */
  public List<Digest> leafHashes(HashAlgorithm algorithm) {
    PackedLeaves p = packed(algorithm);
    List<Digest> out = new ArrayList<>(p.size());
    for (int i = 0; i < p.size(); i++) {
      out.add(p.get(i));
    }
    return Collections.unmodifiableList(out);
  }

  /** The checkpoints emitted while sealing, in order. */
  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  /** The bytes segment {@code index} covers. */
  public ByteRange segmentRange(int index) {
    if (index < 0 || index >= segmentCount()) {
      throw new IndexOutOfBoundsException("segment " + index + " of " + segmentCount());
    }
    long off = (long) index * segmentSize;
    return new ByteRange(off, Math.min(segmentSize, length - off));
  }

  /** Recomputes one algorithm's root from the stored leaf hashes. */
  public Digest computeRoot(HashAlgorithm algorithm) {
    PackedLeaves p = packed(algorithm);
    return Digest.of(MerkleMath.subtreeHash(new TreeHasher(algorithm), p, 0, p.size()));
  }

  /**
   * An RFC 9162 consistency proof from the tree of the first {@code oldSegments} leaves (a
   * checkpoint's size) to this seal's tree.
   */
  public List<Digest> consistencyProof(HashAlgorithm algorithm, long oldSegments) {
    PackedLeaves p = packed(algorithm);
    return MerkleMath.consistencyProof(new TreeHasher(algorithm), p, oldSegments);
  }

  /**
   * A proof that the bytes of {@code range} belong to this seal, checkable with nothing but the
   * covered segments and the root: an RFC 9162 inclusion proof per covered segment, in the suite's
   * primary algorithm.
   */
  public RangeProof proveRange(ByteRange range) {
    return proveRange(range, suite.primary());
  }

  /** As {@link #proveRange(ByteRange)}, in the given algorithm's tree. */
  public RangeProof proveRange(ByteRange range, HashAlgorithm algorithm) {
    requireNonNull(range, "range");
    PackedLeaves p = packed(algorithm);
    if (range.length() == 0 || range.end() > length) {
      throw new IllegalArgumentException(
          "range " + range + " is empty or beyond the content length " + length);
    }
    int first = (int) (range.offset() / segmentSize);
    int last = (int) ((range.end() - 1) / segmentSize);
    TreeHasher h = new TreeHasher(algorithm);
    List<List<Digest>> paths = new ArrayList<>(last - first + 1);
    for (int i = first; i <= last; i++) {
      paths.add(MerkleMath.inclusionProof(h, p, i));
    }
    return new RangeProof(
        algorithm, segmentSize, length, p.size(), root(algorithm), first, paths, range);
  }

  PackedLeaves packed(HashAlgorithm algorithm) {
    requireNonNull(algorithm, "algorithm");
    PackedLeaves p = leaves.get(algorithm);
    if (p == null) {
      throw new IllegalArgumentException("suite " + suite + " has no " + algorithm + " tree");
    }
    return p;
  }

  @Override
  public String toString() {
    return "Seal{suite="
        + suite
        + ", length="
        + length
        + ", segmentSize="
        + segmentSize
        + ", segments="
        + segmentCount()
        + ", roots="
        + roots
        + "}";
  }
}
