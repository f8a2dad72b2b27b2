package org.evidencekit.internal.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.hash.Digest;

/**
 * An append-only RFC 9162 tree that keeps the hash of every complete, aligned perfect subtree from
 * {@code 2^floor} leaves up, so any subtree hash, root, inclusion or consistency proof costs
 * O(log^2 n) hashes instead of O(n).
 *
 * <p>With {@code floor = 0} every leaf is kept (about 64 bytes per leaf). With {@code floor = h >
 * 0} the leaves are grouped into tiles of {@code 2^h}: only the incomplete last tile's leaves stay
 * in memory, and a complete tile's leaves are fetched from a {@link TileSource} when a proof needs
 * them (at most one tile per proof, checked against the tile hash kept in memory). Memory is then
 * about {@code 64 / 2^h} bytes per leaf.
 */
public final class MerkleCache {
  /** Leaf hashes of complete tiles, kept outside memory. */
  public interface TileSource {
    /**
     * The packed leaf hashes of complete tile {@code tile} ({@code 2^h * width} bytes).
     *
     * @param again true when the bytes returned before did not hash to the tile's hash: the source
     *     must rebuild them from the authoritative data
     */
    byte[] leaves(long tile, boolean again);
  }

  private final TreeHasher h;
  private final int w;
  private final int floor;
  private final TileSource tiles;

  /** levels.get(i) holds the complete aligned subtrees of 2^(floor + i) leaves. */
  private final List<PackedLeaves> levels = new ArrayList<>();

  private PackedLeaves partial;
  private long size;
  private final Map<Long, byte[]> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
          return size() > 8;
        }
      };

  /** Keeps every leaf in memory. */
  public MerkleCache(TreeHasher hasher) {
    this(hasher, 0, null);
  }

  /** Keeps subtrees of {@code 2^floor} leaves and up; complete tiles' leaves come from tiles. */
  public MerkleCache(TreeHasher hasher, int floor, TileSource tiles) {
    if (floor < 0 || floor > 16 || (floor > 0 && tiles == null)) {
      throw new IllegalArgumentException("floor must be 0, or 1 to 16 with a tile source");
    }
    this.h = hasher;
    this.w = hasher.width();
    this.floor = floor;
    this.tiles = tiles;
    this.partial = new PackedLeaves(w, floor == 0 ? 1024 : 1 << floor);
    levels.add(floor == 0 ? partial : new PackedLeaves(w, 1024));
  }

  /**
   * Takes over the tree {@code from} built (which must not be used afterwards) with another tile
   * source: a tree built and checked before its final owner exists.
   */
  public MerkleCache(MerkleCache from, TileSource tiles) {
    if (from.floor > 0 && tiles == null) {
      throw new IllegalArgumentException("a tiled tree needs a tile source");
    }
    this.h = from.h;
    this.w = from.w;
    this.floor = from.floor;
    this.tiles = tiles;
    this.levels.addAll(from.levels);
    this.partial = from.partial;
    this.size = from.size;
  }

  public long size() {
    return size;
  }

  /** Leaves per tile ({@code 2^floor}), 1 when every leaf is kept. */
  public int tileSize() {
    return 1 << floor;
  }

  /**
   * Appends a leaf hash and completes the perfect subtrees it closes.
   *
   * @return the packed leaves of the tile this leaf completed, or null
   */
  public byte[] append(byte[] leafHash) {
    if (leafHash.length != w) {
      throw new IllegalArgumentException("leaf hash must be " + w + " bytes");
    }
    size++;
    if (floor == 0) {
      levels.get(0).add(leafHash, 0);
      carry(0);
      return null;
    }
    partial.add(leafHash, 0);
    if (partial.size() < (1 << floor)) {
      return null;
    }
    byte[] packed = partial.toByteArray();
    levels.get(0).add(fold(packed, 0, 1 << floor), 0);
    carry(0);
    partial = new PackedLeaves(w, 1 << floor);
    return packed;
  }

  /** Combines the last two entries of level i upwards while the level has an even count. */
  private void carry(int i) {
    byte[] left = new byte[w];
    byte[] right = new byte[w];
    while (levels.get(i).size() % 2 == 0) {
      PackedLeaves lvl = levels.get(i);
      int n = lvl.size();
      lvl.copy(n - 2, left, 0);
      lvl.copy(n - 1, right, 0);
      if (levels.size() == i + 1) {
        levels.add(new PackedLeaves(w, 16));
      }
      levels.get(i + 1).add(h.node(left, right), 0);
      i++;
    }
  }

  /** MTH of {@code n} (a power of two) packed leaves starting at leaf {@code from}. */
  private byte[] fold(byte[] packed, int from, int n) {
    byte[] buf = Arrays.copyOfRange(packed, from * w, (from + n) * w);
    for (int len = n; len > 1; len /= 2) {
      for (int i = 0; i < len / 2; i++) {
        h.node(buf, 2 * i * w, buf, (2 * i + 1) * w, buf, i * w);
      }
    }
    return Arrays.copyOf(buf, w);
  }

  /** The packed leaves of tile t: the in-memory partial tile, or a checked complete one. */
  private byte[] tile(long t) {
    if (t == size >> floor) {
      return partial.toByteArray();
    }
    byte[] cached = recent.get(t);
    if (cached != null) {
      return cached;
    }
    byte[] expected = new byte[w];
    levels.get(0).copy((int) t, expected, 0);
    int bytes = (1 << floor) * w;
    byte[] got = tiles.leaves(t, false);
    if (got == null || got.length != bytes || !Arrays.equals(fold(got, 0, 1 << floor), expected)) {
      got = tiles.leaves(t, true);
      if (got == null
          || got.length != bytes
          || !Arrays.equals(fold(got, 0, 1 << floor), expected)) {
        throw new IllegalStateException(
            "the leaves of tile " + t + " no longer hash to the tree: the log is damaged");
      }
    }
    recent.put(t, got);
    return got;
  }

  public Digest leaf(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("leaf " + index + " of " + size);
    }
    if (floor == 0) {
      return levels.get(0).get((int) index);
    }
    byte[] t = tile(index >> floor);
    int off = (int) (index & ((1 << floor) - 1)) * w;
    return Digest.of(t, off, w);
  }

  /** MTH(D[lo:hi]). */
  public byte[] hash(long lo, long hi) {
    long n = hi - lo;
    if (n == 0) {
      return h.emptyRoot();
    }
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      int k = Long.numberOfTrailingZeros(n);
      if (k >= floor) {
        byte[] out = new byte[w];
        levels.get(k - floor).copy((int) (lo >> k), out, 0);
        return out;
      }
      byte[] t = tile(lo >> floor);
      return fold(t, (int) (lo & ((1 << floor) - 1)), (int) n);
    }
    long k = Long.highestOneBit(n - 1);
    return h.node(hash(lo, lo + k), hash(lo + k, hi));
  }

  public byte[] root(long size) {
    return hash(0, size);
  }

  /** Inclusion proof of leaf {@code m} in the tree of the first {@code size} leaves. */
  public List<Digest> inclusionProof(long m, long size) {
    if (m < 0 || m >= size || size > size()) {
      throw new IllegalArgumentException("leaf " + m + " is not in a tree of " + size);
    }
    List<Digest> out = new ArrayList<>();
    path(m, 0, size, out);
    return out;
  }

  private void path(long m, long lo, long hi, List<Digest> out) {
    long n = hi - lo;
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, lo, lo + k, out);
      out.add(Digest.of(hash(lo + k, hi)));
    } else {
      path(m - k, lo + k, hi, out);
      out.add(Digest.of(hash(lo, lo + k)));
    }
  }

  /** Consistency proof from the first {@code m} leaves to the first {@code n} (1 <= m <= n). */
  public List<Digest> consistencyProof(long m, long n) {
    if (m < 1 || m > n || n > size()) {
      throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
    }
    List<Digest> out = new ArrayList<>();
    subproof(m, 0, n, true, out);
    return out;
  }

  private void subproof(long m, long lo, long hi, boolean complete, List<Digest> out) {
    long n = hi - lo;
    if (m == n) {
      if (!complete) {
        out.add(Digest.of(hash(lo, hi)));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, lo, lo + k, complete, out);
      out.add(Digest.of(hash(lo + k, hi)));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.add(Digest.of(hash(lo, lo + k)));
    }
  }
}
