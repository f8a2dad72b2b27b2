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
 * Proof that the log of {@code oldSize} entries (root {@code oldRoot}) is a prefix of the log of
 * {@code newSize} entries (root {@code newRoot}): nothing published was changed or removed (RFC
 * 9162 section 2.1.4). A proof from size 0 is never valid. Format {@value #FORMAT}.
 */
public final class ConsistencyProof {
  public static final String FORMAT = "evidencekit.ledger-consistency/1";
  private static final StrictJson JSON = new StrictJson(LedgerException::new);
  private static final int MAX_PATH = 130;

  private final long oldSize;
  private final long newSize;
  private final Digest oldRoot;
  private final Digest newRoot;
  private final List<Digest> path;

  ConsistencyProof(long oldSize, long newSize, Digest oldRoot, Digest newRoot, List<Digest> path) {
    this.oldSize = oldSize;
    this.newSize = newSize;
    this.oldRoot = oldRoot;
    this.newRoot = newRoot;
    this.path = List.copyOf(path);
  }

  public long oldSize() {
    return oldSize;
  }

  public long newSize() {
    return newSize;
  }

  public Digest oldRoot() {
    return oldRoot;
  }

  public Digest newRoot() {
    return newRoot;
  }

  public List<Digest> path() {
    return path;
  }

  /** Whether the path proves the stated old tree is a prefix of the stated new one. */
  public boolean verify() {
    return MerkleTree.verifyConsistency(
        HashAlgorithm.SHA256, oldSize, newSize, oldRoot, newRoot, path);
  }

  /** Whether the proof verifies and links exactly these two published checkpoints. */
  public boolean verifyBetween(LogCheckpoint older, LogCheckpoint newer) {
    requireNonNull(older, "older");
    requireNonNull(newer, "newer");
    return older.size() == oldSize
        && newer.size() == newSize
        && older.root().equals(oldRoot)
        && newer.root().equals(newRoot)
        && verify();
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("oldSize", oldSize);
    m.put("newSize", newSize);
    m.put("oldRoot", oldRoot.hex());
    m.put("newRoot", newRoot.hex());
    List<Object> p = new ArrayList<>();
    for (Digest d : path) {
      p.add(d.hex());
    }
    m.put("path", p);
    return CanonicalJson.encode(m);
  }

  /**
   * Largest proof parsed: at most 130 digests and a few numbers, about 9 KiB. 1 MiB is over ten
   * times that; a bigger one is refused before it is parsed, since a JSON tree costs some 25 times
   * its text.
   */
  static final int MAX_PARSE_BYTES = 1 << 20;

  public static ConsistencyProof parse(byte[] json) throws LedgerException {
    requireNonNull(json, "json");
    if (json.length > MAX_PARSE_BYTES) {
      throw new LedgerException("a consistency proof larger than " + MAX_PARSE_BYTES + " bytes");
    }
    try {
      JsonNode n =
          JSON.requireObject(
              JSON.parse(json),
              "consistency proof",
              Set.of("format", "oldSize", "newSize", "oldRoot", "newRoot", "path"));
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new LedgerException("not a ledger consistency proof");
      }
      List<Digest> path = new ArrayList<>();
      for (JsonNode d : JSON.array(n, "path", MAX_PATH)) {
        path.add(InclusionProof.hex(d));
      }
      return new ConsistencyProof(
          JSON.integer(n, "oldSize", 0, CanonicalJson.MAX_SAFE_INTEGER),
          JSON.integer(n, "newSize", 0, CanonicalJson.MAX_SAFE_INTEGER),
          Digest.of(JSON.hex(n, "oldRoot", 32)),
          Digest.of(JSON.hex(n, "newRoot", 32)),
          path);
    } catch (LedgerException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new LedgerException("bad consistency proof: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "consistency " + oldSize + " -> " + newSize + " (" + path.size() + " hashes)";
  }
}
