package org.evidencekit.seal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.FileKind;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.Instants;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.merkle.PackedLeaves;

/** Encodes and strictly decodes the seal, frontier and range-proof formats. */
final class SealJson {
  private static final StrictJson JSON = new StrictJson(SealFormatException::new);
  private static final long MAX_LENGTH = CanonicalJson.MAX_SAFE_INTEGER;
  private static final int MAX_CHECKPOINTS = 1 << 20;

  private static final Set<String> SEAL_MEMBERS =
      Set.of(
          "format",
          "suite",
          "segmentSize",
          "length",
          "segments",
          "roots",
          "leaves",
          "checkpoints",
          "metadata",
          "signature");
  private static final Set<String> METADATA_MEMBERS =
      Set.of(
          "deviceId",
          "officerId",
          "caseIds",
          "recordingStart",
          "recordingEnd",
          "clockOffsetMillis",
          "positions",
          "mediaType",
          "originalFileName",
          "ingestTime",
          "previousSealDigest");
  private static final Set<String> POSITION_MEMBERS = Set.of("latitude", "longitude", "time");
  private static final Set<String> SIGNATURE_MEMBERS =
      Set.of("suite", "keyId", "publicKey", "certificates", "value", "timestamp");
  private static final Set<String> TIMESTAMP_MEMBERS = Set.of("hashAlgorithm", "token");
  private static final Set<String> FRONTIER_MEMBERS =
      Set.of("format", "suite", "segmentSize", "segments", "leaves", "checkpoints");
  private static final Set<String> CHECKPOINT_MEMBERS = Set.of("segments", "length", "roots");
  private static final Set<String> PROOF_MEMBERS =
      Set.of(
          "format",
          "algorithm",
          "segmentSize",
          "length",
          "treeSize",
          "root",
          "offset",
          "rangeLength",
          "firstSegment",
          "proofs");

  private SealJson() {}

  // ---------------------------------------------------------------- encoding

  static byte[] encode(Seal seal, boolean withSignature) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", Seal.FORMAT);
    m.put("suite", seal.suite().name());
    m.put("segmentSize", seal.segmentSize());
    m.put("length", seal.length());
    m.put("segments", (long) seal.segmentCount());
    m.put("roots", rootsJson(seal.roots()));
    Map<String, Object> leaves = new LinkedHashMap<>();
    for (HashAlgorithm a : seal.suite().algorithms()) {
      leaves.put(a.name(), Base64.getEncoder().encodeToString(seal.packed(a).toByteArray()));
    }
    m.put("leaves", leaves);
    m.put("checkpoints", checkpointsJson(seal.checkpoints()));
    seal.metadata().ifPresent(md -> m.put("metadata", metadataJson(md)));
    if (withSignature) {
      seal.signature().ifPresent(sig -> m.put("signature", signatureJson(sig)));
    }
    return CanonicalJson.encode(m);
  }

  private static Map<String, Object> metadataJson(RecordingMetadata md) {
    Map<String, Object> m = new LinkedHashMap<>();
    md.deviceId().ifPresent(v -> m.put("deviceId", v));
    md.officerId().ifPresent(v -> m.put("officerId", v));
    if (!md.caseIds().isEmpty()) {
      m.put("caseIds", new ArrayList<Object>(md.caseIds()));
    }
    md.recordingStart().ifPresent(v -> m.put("recordingStart", Instants.format(v)));
    md.recordingEnd().ifPresent(v -> m.put("recordingEnd", Instants.format(v)));
    md.clockOffsetMillis().ifPresent(v -> m.put("clockOffsetMillis", v));
    if (!md.positions().isEmpty()) {
      List<Object> ps = new ArrayList<>();
      for (GeoPosition g : md.positions()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("latitude", g.latitude());
        pm.put("longitude", g.longitude());
        g.time().ifPresent(t -> pm.put("time", Instants.format(t)));
        ps.add(pm);
      }
      m.put("positions", ps);
    }
    md.mediaType().ifPresent(v -> m.put("mediaType", v));
    md.originalFileName().ifPresent(v -> m.put("originalFileName", v));
    md.ingestTime().ifPresent(v -> m.put("ingestTime", Instants.format(v)));
    md.previousSealDigest().ifPresent(v -> m.put("previousSealDigest", v));
    return m;
  }

  private static Map<String, Object> signatureJson(SealSignature sig) {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", sig.suite());
    m.put("keyId", sig.keyId());
    m.put("publicKey", b64.encodeToString(sig.publicKeyDer()));
    List<Object> certs = new ArrayList<>();
    sig.certificatesDer().forEach(c -> certs.add(b64.encodeToString(c)));
    m.put("certificates", certs);
    m.put("value", b64.encodeToString(sig.value()));
    sig.timestampToken()
        .ifPresent(
            t -> {
              Map<String, Object> tm = new LinkedHashMap<>();
              tm.put("hashAlgorithm", sig.timestampHash().orElseThrow().name());
              tm.put("token", b64.encodeToString(t));
              m.put("timestamp", tm);
            });
    return m;
  }

  static byte[] encode(SealFrontier f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", SealFrontier.FORMAT);
    m.put("suite", f.suite().name());
    m.put("segmentSize", f.segmentSize());
    m.put("segments", f.segments());
    Map<String, Object> leaves = new LinkedHashMap<>();
    for (HashAlgorithm a : f.suite().algorithms()) {
      leaves.put(a.name(), Base64.getEncoder().encodeToString(f.leaves(a).toByteArray()));
    }
    m.put("leaves", leaves);
    m.put("checkpoints", checkpointsJson(f.checkpoints()));
    return CanonicalJson.encode(m);
  }

  static byte[] encode(RangeProof p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", RangeProof.FORMAT);
    m.put("algorithm", p.algorithm().name());
    m.put("segmentSize", p.segmentSize());
    m.put("length", p.contentLength());
    m.put("treeSize", p.treeSize());
    m.put("root", p.root().hex());
    m.put("offset", p.range().offset());
    m.put("rangeLength", p.range().length());
    m.put("firstSegment", p.firstSegment());
    List<Object> proofs = new ArrayList<>();
    for (List<Digest> path : p.inclusionProofs()) {
      List<Object> hex = new ArrayList<>();
      for (Digest d : path) {
        hex.add(d.hex());
      }
      proofs.add(hex);
    }
    m.put("proofs", proofs);
    return CanonicalJson.encode(m);
  }

  private static Map<String, Object> rootsJson(Map<HashAlgorithm, Digest> roots) {
    Map<String, Object> m = new LinkedHashMap<>();
    roots.forEach((a, d) -> m.put(a.name(), d.hex()));
    return m;
  }

  private static List<Object> checkpointsJson(List<Checkpoint> checkpoints) {
    List<Object> out = new ArrayList<>();
    for (Checkpoint c : checkpoints) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("segments", c.segments());
      cm.put("length", c.length());
      cm.put("roots", rootsJson(c.roots()));
      out.add(cm);
    }
    return out;
  }

  // ---------------------------------------------------------------- decoding

  static Seal decodeSeal(byte[] json) throws SealFormatException {
    if (!FileKind.startsLikeJsonObject(json)) {
      // say what the file is, not which byte the JSON parser tripped over
      throw new NotASealException("not a seal (" + notJson(json) + ")");
    }
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "seal", SEAL_MEMBERS);
      expectFormat(root, Seal.FORMAT);
      SealSuite suite = suite(JSON.string(root, "suite"));
      int segmentSize = segmentSize(root);
      long length = JSON.integer(root, "length", 0, MAX_LENGTH);
      long segments = JSON.integer(root, "segments", 0, Integer.MAX_VALUE);
      long expected = (length + segmentSize - 1) / segmentSize;
      if (segments != expected) {
        throw new SealFormatException(
            "'segments' = "
                + segments
                + " but a length of "
                + length
                + " at segment size "
                + segmentSize
                + " needs "
                + expected);
      }
      Map<HashAlgorithm, Digest> roots = roots(root, suite);
      Map<HashAlgorithm, PackedLeaves> leaves = leaves(root, suite, segments);
      List<Checkpoint> cps = checkpoints(root, suite, segmentSize, segments);
      RecordingMetadata md = root.has("metadata") ? metadata(root) : null;
      SealSignature sig = root.has("signature") ? signature(root) : null;
      return new Seal(suite, segmentSize, length, roots, leaves, cps, md, sig);
    } catch (SealFormatException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new SealFormatException(e.getMessage());
    }
  }

  /** What a file that does not hold a JSON object is, in words ("it looks like an MP4 file"). */
  static String notJson(byte[] data) {
    String kind = FileKind.describe(data).orElse("binary data");
    switch (kind) {
      case "an empty file":
        return "it is empty";
      case "text":
        return "it is text, not JSON";
      default:
        return "it looks like " + kind;
    }
  }

  static SealFrontier decodeFrontier(byte[] json) throws SealFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "frontier", FRONTIER_MEMBERS);
      expectFormat(root, SealFrontier.FORMAT);
      SealSuite suite = suite(JSON.string(root, "suite"));
      int segmentSize = segmentSize(root);
      long segments =
          JSON.integer(root, "segments", 0, Math.min(Integer.MAX_VALUE, MAX_LENGTH / segmentSize));
      Map<HashAlgorithm, PackedLeaves> leaves = leaves(root, suite, segments);
      List<Checkpoint> cps = checkpoints(root, suite, segmentSize, segments);
      return new SealFrontier(suite, segmentSize, leaves, cps);
    } catch (SealFormatException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new SealFormatException(e.getMessage());
    }
  }

  static RangeProof decodeRangeProof(byte[] json) throws SealFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "range proof", PROOF_MEMBERS);
      expectFormat(root, RangeProof.FORMAT);
      String algName = JSON.string(root, "algorithm");
      HashAlgorithm alg =
          HashAlgorithm.forName(algName)
              .orElseThrow(() -> new SealFormatException("unknown algorithm '" + algName + "'"));
      int segmentSize = segmentSize(root);
      long length = JSON.integer(root, "length", 1, MAX_LENGTH);
      long treeSize = JSON.integer(root, "treeSize", 1, Integer.MAX_VALUE);
      if (treeSize != (length + segmentSize - 1) / segmentSize) {
        throw new SealFormatException("'treeSize' does not match 'length' and 'segmentSize'");
      }
      Digest rootHash = Digest.of(JSON.hex(root, "root", alg.digestLength()));
      long offset = JSON.integer(root, "offset", 0, length - 1);
      long rangeLength = JSON.integer(root, "rangeLength", 1, length - offset);
      ByteRange range = new ByteRange(offset, rangeLength);
      long first = JSON.integer(root, "firstSegment", 0, treeSize - 1);
      long last = (range.end() - 1) / segmentSize;
      if (first != offset / segmentSize) {
        throw new SealFormatException("'firstSegment' does not cover 'offset'");
      }
      List<JsonNode> proofs = JSON.array(root, "proofs", (int) (last - first + 1));
      if (proofs.size() != last - first + 1) {
        throw new SealFormatException(
            "'proofs' has " + proofs.size() + " entries, the range needs " + (last - first + 1));
      }
      List<List<Digest>> paths = new ArrayList<>();
      for (JsonNode p : proofs) {
        if (!p.isArray() || p.size() > 64) {
          throw new SealFormatException("each proof must be an array of at most 64 hashes");
        }
        List<Digest> path = new ArrayList<>();
        for (JsonNode h : p) {
          if (!h.isTextual() || h.textValue().length() != alg.digestLength() * 2) {
            throw new SealFormatException("proof hashes must be lowercase hex digests");
          }
          path.add(Digest.of(hex(h.textValue())));
        }
        paths.add(path);
      }
      return new RangeProof(
          alg, segmentSize, length, treeSize, rootHash, (int) first, paths, range);
    } catch (SealFormatException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new SealFormatException(e.getMessage());
    }
  }

  private static RecordingMetadata metadata(JsonNode parent) throws java.io.IOException {
    JsonNode n = JSON.object(parent, "metadata", METADATA_MEMBERS);
    RecordingMetadata.Builder b = RecordingMetadata.builder();
    try {
      if (n.has("deviceId")) {
        b.deviceId(JSON.string(n, "deviceId"));
      }
      if (n.has("officerId")) {
        b.officerId(JSON.string(n, "officerId"));
      }
      if (n.has("caseIds")) {
        for (JsonNode c : JSON.array(n, "caseIds", 1000)) {
          if (!c.isTextual()) {
            throw new SealFormatException("'caseIds' must hold strings");
          }
          b.addStoredCaseId(c.textValue());
        }
      }
      if (n.has("recordingStart")) {
        b.recordingStart(instant(n, "recordingStart"));
      }
      if (n.has("recordingEnd")) {
        b.recordingEnd(instant(n, "recordingEnd"));
      }
      if (n.has("clockOffsetMillis")) {
        b.clockOffsetMillis(
            JSON.integer(
                n,
                "clockOffsetMillis",
                -CanonicalJson.MAX_SAFE_INTEGER,
                CanonicalJson.MAX_SAFE_INTEGER));
      }
      if (n.has("positions")) {
        for (JsonNode p : JSON.array(n, "positions", 100_000)) {
          JSON.requireObject(p, "position", POSITION_MEMBERS);
          b.addPosition(
              GeoPosition.of(
                  JSON.string(p, "latitude"),
                  JSON.string(p, "longitude"),
                  p.has("time") ? instant(p, "time") : null));
        }
      }
      if (n.has("mediaType")) {
        b.mediaType(JSON.string(n, "mediaType"));
      }
      if (n.has("originalFileName")) {
        b.originalFileName(JSON.string(n, "originalFileName"));
      }
      if (n.has("ingestTime")) {
        b.ingestTime(instant(n, "ingestTime"));
      }
      if (n.has("previousSealDigest")) {
        b.previousSealDigest(JSON.string(n, "previousSealDigest"));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new SealFormatException("bad metadata: " + e.getMessage());
    }
  }

  private static java.time.Instant instant(JsonNode n, String field) throws java.io.IOException {
    String s = JSON.string(n, field);
    try {
      java.time.Instant i = Instants.parse(s);
      if (!Instants.format(i).equals(s)) {
        throw new SealFormatException("'" + field + "' is not in canonical ISO-8601 UTC form");
      }
      return i;
    } catch (java.time.format.DateTimeParseException e) {
      throw new SealFormatException("'" + field + "' is not an ISO-8601 UTC instant");
    }
  }

  private static SealSignature signature(JsonNode parent) throws java.io.IOException {
    JsonNode n = JSON.object(parent, "signature", SIGNATURE_MEMBERS);
    List<byte[]> certs = new ArrayList<>();
    for (JsonNode c : JSON.array(n, "certificates", 16)) {
      if (!c.isTextual()) {
        throw new SealFormatException("'certificates' must hold base64 strings");
      }
      try {
        certs.add(Base64.getDecoder().decode(c.textValue()));
      } catch (IllegalArgumentException e) {
        throw new SealFormatException("a certificate is not standard base64");
      }
    }
    SealSignature sig =
        SealSignature.of(
            JSON.string(n, "suite"),
            JSON.string(n, "keyId"),
            JSON.base64(n, "publicKey"),
            certs,
            JSON.base64(n, "value"));
    if (n.has("timestamp")) {
      JsonNode t = JSON.object(n, "timestamp", TIMESTAMP_MEMBERS);
      String alg = JSON.string(t, "hashAlgorithm");
      HashAlgorithm h =
          HashAlgorithm.forName(alg)
              .orElseThrow(() -> new SealFormatException("unknown timestamp hash '" + alg + "'"));
      sig = sig.withTimestamp(JSON.base64(t, "token"), h);
    }
    return sig;
  }

  private static byte[] hex(String s) throws SealFormatException {
    if (!s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
      throw new SealFormatException("hex digests must be lowercase");
    }
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new SealFormatException("not hexadecimal: " + abbreviate(s));
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static void expectFormat(JsonNode root, String format) throws java.io.IOException {
    String f = JSON.string(root, "format");
    if (!f.equals(format)) {
      throw new SealFormatException("format is '" + abbreviate(f) + "', expected '" + format + "'");
    }
  }

  private static SealSuite suite(String name) throws SealFormatException {
    return SealSuite.forName(name)
        .orElseThrow(() -> new SealFormatException("unknown suite '" + abbreviate(name) + "'"));
  }

  private static int segmentSize(JsonNode root) throws java.io.IOException {
    long s = JSON.integer(root, "segmentSize", Sealer.MIN_SEGMENT_SIZE, Sealer.MAX_SEGMENT_SIZE);
    if (Long.bitCount(s) != 1) {
      throw new SealFormatException("'segmentSize' = " + s + " is not a power of two");
    }
    return (int) s;
  }

  private static Map<HashAlgorithm, Digest> roots(JsonNode parent, SealSuite suite)
      throws java.io.IOException {
    JsonNode r = JSON.object(parent, "roots", names(suite));
    Map<HashAlgorithm, Digest> roots = new LinkedHashMap<>();
    for (HashAlgorithm a : suite.algorithms()) {
      roots.put(a, Digest.of(JSON.hex(r, a.name(), a.digestLength())));
    }
    return roots;
  }

  private static Map<HashAlgorithm, PackedLeaves> leaves(
      JsonNode parent, SealSuite suite, long segments) throws java.io.IOException {
    JsonNode l = JSON.object(parent, "leaves", names(suite));
    Map<HashAlgorithm, PackedLeaves> leaves = new LinkedHashMap<>();
    for (HashAlgorithm a : suite.algorithms()) {
      byte[] packed = JSON.base64(l, a.name());
      if (packed.length != segments * a.digestLength()) {
        throw new SealFormatException(
            "'leaves."
                + a.name()
                + "' holds "
                + packed.length
                + " bytes, "
                + segments
                + " segments need "
                + (segments * a.digestLength()));
      }
      leaves.put(a, PackedLeaves.copyOf(a.digestLength(), packed));
    }
    return leaves;
  }

  private static List<Checkpoint> checkpoints(
      JsonNode parent, SealSuite suite, int segmentSize, long segments) throws java.io.IOException {
    List<Checkpoint> out = new ArrayList<>();
    long previous = 0;
    for (JsonNode c : JSON.array(parent, "checkpoints", MAX_CHECKPOINTS)) {
      JSON.requireObject(c, "checkpoint", CHECKPOINT_MEMBERS);
      long n = JSON.integer(c, "segments", 1, segments);
      if (n <= previous) {
        throw new SealFormatException(
            "checkpoints must grow strictly: " + n + " after " + previous);
      }
      long len = JSON.integer(c, "length", 0, MAX_LENGTH);
      if (len != n * segmentSize) {
        throw new SealFormatException(
            "checkpoint at " + n + " segments must cover " + (n * segmentSize) + " bytes");
      }
      out.add(new Checkpoint(n, len, roots(c, suite)));
      previous = n;
    }
    return out;
  }

  private static Set<String> names(SealSuite suite) {
    Set<String> s = new java.util.HashSet<>();
    for (HashAlgorithm a : suite.algorithms()) {
      s.add(a.name());
    }
    return s;
  }
}
