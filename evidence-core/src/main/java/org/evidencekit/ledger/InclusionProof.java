package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.merkle.MerkleTree;

/**
 * Proof that an entry is leaf {@code index} of the log of {@code size} entries whose root is {@code
 * root} (RFC 9162 section 2.1.3). Verifying needs nothing but this object and the entry: an
 * auditor's offline check. Pair it with a {@link LogCheckpoint} of the same size to know the root
 * was published. Format {@value #FORMAT}.
 */
public final class InclusionProof {
  public static final String FORMAT = "evidencekit.ledger-inclusion/1";
  private static final StrictJson JSON = new StrictJson(LedgerException::new);

  /** A log of 2^63 entries has a path of 63 hashes. */
  private static final int MAX_PATH = 64;

  private final long index;
  private final long size;
  private final Digest leafHash;
  private final List<Digest> path;
  private final Digest root;

  InclusionProof(long index, long size, Digest leafHash, List<Digest> path, Digest root) {
    this.index = index;
    this.size = size;
    this.leafHash = leafHash;
    this.path = List.copyOf(path);
    this.root = root;
  }

  public long index() {
    return index;
  }

  public long size() {
    return size;
  }

  public Digest leafHash() {
    return leafHash;
  }

  public List<Digest> path() {
    return path;
  }

  public Digest root() {
    return root;
  }

  /** Whether {@code entry} is the proven leaf and the path leads from it to the root. */
  public boolean verify(LedgerEntry entry) {
    requireNonNull(entry, "entry");
    return entry.leafHash().equals(leafHash) && verifyPath();
  }

  /** Whether the path leads from the stated leaf hash to the stated root. */
  public boolean verifyPath() {
    return MerkleTree.verifyInclusion(HashAlgorithm.SHA256, index, size, leafHash, path, root);
  }

  /** Whether the proof verifies and its root is the one the checkpoint published. */
  public boolean verifyAgainst(LedgerEntry entry, LogCheckpoint checkpoint) {
    requireNonNull(checkpoint, "checkpoint");
    return checkpoint.size() == size && checkpoint.root().equals(root) && verify(entry);
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("index", index);
    m.put("size", size);
    m.put("leafHash", leafHash.hex());
    List<Object> p = new ArrayList<>();
    for (Digest d : path) {
      p.add(d.hex());
    }
    m.put("path", p);
    m.put("root", root.hex());
    return CanonicalJson.encode(m);
  }

  /**
   * Largest proof parsed: at most 64 digests and a few numbers, about 5 KiB. 1 MiB is over ten
   * times that; a bigger one is refused before it is parsed, since a JSON tree costs some 25 times
   * its text.
   */
  static final int MAX_PARSE_BYTES = 1 << 20;

  public static InclusionProof parse(byte[] json) throws LedgerException {
    requireNonNull(json, "json");
    if (json.length > MAX_PARSE_BYTES) {
      throw new LedgerException("an inclusion proof larger than " + MAX_PARSE_BYTES + " bytes");
    }
    try {
      JsonNode n =
          JSON.requireObject(
              JSON.parse(json),
              "inclusion proof",
              Set.of("format", "index", "size", "leafHash", "path", "root"));
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new LedgerException("not a ledger inclusion proof");
      }
      List<Digest> path = new ArrayList<>();
      for (JsonNode d : JSON.array(n, "path", MAX_PATH)) {
        path.add(hex(d));
      }
      return new InclusionProof(
          JSON.integer(n, "index", 0, CanonicalJson.MAX_SAFE_INTEGER),
          JSON.integer(n, "size", 1, CanonicalJson.MAX_SAFE_INTEGER),
          Digest.of(JSON.hex(n, "leafHash", 32)),
          path,
          Digest.of(JSON.hex(n, "root", 32)));
    } catch (LedgerException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new LedgerException("bad inclusion proof: " + e.getMessage());
    }
  }

  static Digest hex(JsonNode d) throws LedgerException {
    if (!d.isTextual() || !d.asText().matches("[0-9a-f]{64}")) {
      throw new LedgerException("proof hashes must be 64 lowercase hex digits");
    }
    return Digest.ofHex(d.asText());
  }

  @Override
  public String toString() {
    return "inclusion of entry "
        + index
        + " in "
        + EntryCount.of(size)
        + " ("
        + path.size()
        + (path.size() == 1 ? " hash)" : " hashes)");
  }
}
