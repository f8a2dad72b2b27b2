package org.evidencekit.verify;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.merkle.CompactRange;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.internal.seal.LanePolicy;
import org.evidencekit.internal.seal.SegmentPipeline;
import org.evidencekit.merkle.MerkleTree;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Checkpoint;
import org.evidencekit.seal.RangeProof;
import org.evidencekit.seal.Seal;
import org.evidencekit.trust.TrustPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Checks content against its seal and says exactly which bytes changed: every segment is
 * re-hashed (in parallel, as fast as sealing) and compared with the sealed leaf hashes, so the
 * report names modified, moved, missing and appended byte ranges, not just "changed". Also proves a
 * byte range alone ({@link #verifyRange}, {@link #verifyRangeProof}) and wraps a channel so it only
 * releases bytes that have checked out ({@link #newVerifyingChannel}).
 *
 * <p>This checks content against a seal. Whether the seal itself is trustworthy (signature, trusted
 * time) is the trust layer's question.
 */
public final class Verifier {
  private final int parallelism;
  private final Executor executor;
  private final LongConsumer progress;
  private final TrustPolicy trust;
  private final LanePolicy lanePolicy;

  private Verifier(Builder b) {
    this.parallelism = b.parallelism;
    this.executor = b.executor;
    this.progress = b.progress;
    this.trust = b.trust;
    this.lanePolicy = b.lanePolicy;
  }

  /** A verifier with one worker per core and no progress reporting. */
  public static Verifier create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a whole file against its seal. The file's name is compared with the seal's original
   * file name: when they differ and no segment matches, the seal is named as made for other content
   * ({@link FindingCode#SEAL_NOT_FOR_CONTENT}).
   *
   * @throws IllegalArgumentException if {@code file} is a directory
   */
  public VerificationReport verify(Path file, Seal seal) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(seal, "seal");
    if (Files.isDirectory(file)) {
      // reading a directory fails with the platform's words, or yields nothing to compare
      throw new IllegalArgumentException(file + " is a directory, not a recording");
    }
    // a named pipe or device would block the read or never end: refused before any byte is read
    try (FileChannel ch = BoundedFiles.openRegularFile(file)) {
      long actual = ch.size();
      Comparison c = new Comparison(seal);
      Path name = file.getFileName();
      c.fileName = name == null ? null : name.toString();
      long planned = plannedLength(seal, actual);
      try (SegmentPipeline p = pipeline(seal, true, planned, c)) {
        for (long off = 0; off < planned; off += seal.segmentSize()) {
          p.submitFileRange(ch, off, (int) Math.min(seal.segmentSize(), planned - off));
        }
        p.drain();
      }
      int n = seal.segmentCount();
      long s = seal.segmentSize();
      if (actual != seal.length() && n > 0 && (actual + s - 1) / s == n) {
        long from = (n - 1) * s;
        byte[] last = new byte[(int) (actual - from)];
        ch.position(from);
        if (readFully(ch, last, last.length) == last.length) {
          c.lastSegmentAtContentLength(leafHashes(seal, last, last.length));
        }
      }
      return c.report(actual);
    }
  }

  private static byte[][] leafHashes(Seal seal, byte[] buf, int length) {
    List<HashAlgorithm> algs = seal.suite().algorithms();
    byte[][] out = new byte[algs.size()][];
    for (int a = 0; a < algs.size(); a++) {
      out[a] = new TreeHasher(algs.get(a)).leaf(buf, 0, length);
    }
    return out;
  }

  /** Verifies everything a channel yields until end of stream against the seal. */
  public VerificationReport verify(ReadableByteChannel content, Seal seal) throws IOException {
    requireNonNull(content, "content");
    requireNonNull(seal, "seal");
    Comparison c = new Comparison(seal);
    long actual = 0;
    int s = seal.segmentSize();
    byte[][] lastAtContentLength = null;
    try (SegmentPipeline p = pipeline(seal, false, seal.length(), c)) {
      boolean eof = false;
      int n = seal.segmentCount();
      for (int i = 0; i < n && !eof; i++) {
        int want = (int) Math.min(s, seal.length() - (long) i * s);
        SegmentPipeline.Workspace ws = p.acquire();
        // the last segment is read as far as a whole segment, so that content which matches
        // every leaf at another length than the seal states is recognised (an edited length)
        int got = readFully(content, ws.buffer, i == n - 1 ? s : want);
        actual += got;
        if (i == n - 1 && got != want && got > 0) {
          lastAtContentLength = leafHashes(seal, ws.buffer, got);
        }
        if (got >= want) {
          p.submitBuffered(ws, want);
        } else {
          p.release(ws);
          eof = true;
        }
      }
      p.drain();
      if (!eof) {
        long more = drainRemaining(content);
        actual += more;
        if (more > 0) {
          lastAtContentLength = null;
        }
      }
    }
    if (lastAtContentLength != null) {
      c.lastSegmentAtContentLength(lastAtContentLength);
    }
    return c.report(actual);
  }

  /**
   * Proves one byte range of {@code content} against the seal, reading only the segments the range
   * touches. Each segment is checked by an RFC 9162 inclusion proof to the sealed root of every
   * algorithm of the suite, so the range is proven against the root, not merely against the stored
   * leaf list.
   */
  public VerificationReport verifyRange(SeekableByteChannel content, Seal seal, ByteRange range)
      throws IOException {
    requireNonNull(content, "content");
    requireNonNull(seal, "seal");
    requireNonNull(range, "range");
    List<Finding> findings = new ArrayList<>();
    List<ByteRange> bad = new ArrayList<>();
    long size = content.size();
    ByteRange covered = null;
    for (HashAlgorithm alg : seal.suite().algorithms()) {
      RangeProof proof = seal.proveRange(range, alg);
      covered = proof.coveredRange();
      if (!seal.computeRoot(alg).equals(seal.root(alg))) {
        findings.add(
            Finding.of(
                FindingCode.SEAL_ROOT_MISMATCH,
                "the seal's " + alg + " leaf hashes do not fold to its stored root"));
        continue;
      }
      // the seal must be self-consistent here too, as for a whole verification
      checkpointMismatches(seal, alg, findings);
      checkProof(content, size, proof, seal.root(alg), findings, bad);
    }
    SealTrustCheck.Result trusted = trustFindings(seal);
    findings.addAll(trusted.findings());
    return summarize(
        findings, bad, seal.length(), covered == null ? 0 : covered.length(), trusted.attested());
  }

  /**
   * Checks a stand-alone range proof: {@code coveredBytes} must yield exactly the bytes of {@link
   * RangeProof#coveredRange()}, and the proof must lead to {@code trustedRoot} (take it from a seal
   * whose signature you checked).
   */
  public VerificationReport verifyRangeProof(
      ReadableByteChannel coveredBytes, RangeProof proof, Digest trustedRoot) throws IOException {
    requireNonNull(coveredBytes, "coveredBytes");
    requireNonNull(proof, "proof");
    requireNonNull(trustedRoot, "trustedRoot");
    List<Finding> findings = new ArrayList<>();
    List<ByteRange> bad = new ArrayList<>();
    if (!proof.root().equals(trustedRoot)) {
      findings.add(
          Finding.of(
              FindingCode.PROOF_ROOT_MISMATCH,
              "the proof leads to root " + proof.root() + ", not the trusted " + trustedRoot));
      return summarize(findings, bad, proof.contentLength(), 0, null);
    }
    TreeHasher h = new TreeHasher(proof.algorithm());
    ByteRange covered = proof.coveredRange();
    byte[] buf = new byte[proof.segmentSize()];
    for (int i = 0; i < proof.segmentCount(); i++) {
      long off = covered.offset() + (long) i * proof.segmentSize();
      int want = (int) Math.min(proof.segmentSize(), covered.end() - off);
      int got = readFully(coveredBytes, buf, want);
      ByteRange seg = new ByteRange(off, want);
      if (got < want) {
        findings.add(
            Finding.of(
                FindingCode.CONTENT_TRUNCATED,
                "the proven bytes end at "
                    + (off + got)
                    + ", the proof covers up to "
                    + covered.end(),
                new ByteRange(off + got, covered.end() - off - got)));
        bad.add(new ByteRange(off + got, covered.end() - off - got));
        break;
      }
      Digest leaf = Digest.of(h.leaf(buf, 0, want));
      if (!MerkleTree.verifyInclusion(
          proof.algorithm(),
          proof.firstSegment() + i,
          proof.treeSize(),
          leaf,
          proof.inclusionProof(i),
          trustedRoot)) {
        findings.add(
            Finding.of(
                FindingCode.RANGE_NOT_PROVEN,
                "segment "
                    + (proof.firstSegment() + i)
                    + " "
                    + seg
                    + " does not prove into the trusted root",
                seg));
        bad.add(seg);
      }
    }
    return summarize(findings, bad, proof.contentLength(), covered.length(), null);
  }

  /**
   * Wraps {@code source} so that each segment is read whole, hashed and compared with the seal
   * before any of its bytes are released. A failing segment, missing bytes or extra bytes throw
   * {@link IntegrityException} and the channel stays failed. Closing the returned channel closes
   * {@code source}. Holds one segment in memory.
   */
  public ReadableByteChannel newVerifyingChannel(ReadableByteChannel source, Seal seal) {
    requireNonNull(source, "source");
    requireNonNull(seal, "seal");
    return new VerifyingChannel(source, seal);
  }

  /** {@link #newVerifyingChannel} for streams. Closing the returned stream closes {@code in}. */
  public InputStream newVerifyingInputStream(InputStream in, Seal seal) {
    requireNonNull(in, "in");
    return Channels.newInputStream(newVerifyingChannel(Channels.newChannel(in), seal));
  }

  // ------------------------------------------------------------------ internals

  private void checkProof(
      SeekableByteChannel content,
      long size,
      RangeProof proof,
      Digest root,
      List<Finding> findings,
      List<ByteRange> bad)
      throws IOException {
    TreeHasher h = new TreeHasher(proof.algorithm());
    ByteRange covered = proof.coveredRange();
    byte[] buf = new byte[proof.segmentSize()];
    content.position(covered.offset());
    for (int i = 0; i < proof.segmentCount(); i++) {
      long off = covered.offset() + (long) i * proof.segmentSize();
      int want = (int) Math.min(proof.segmentSize(), covered.end() - off);
      if (off + want > size) {
        ByteRange missing = new ByteRange(Math.max(off, size), off + want - Math.max(off, size));
        addOnce(
            findings,
            bad,
            Finding.of(
                FindingCode.CONTENT_TRUNCATED,
                "content ends at byte " + size + " inside the range, sealed up to " + covered.end(),
                missing));
        if (off < size) {
          ByteRange unverifiable = new ByteRange(off, size - off);
          addOnce(
              findings,
              bad,
              Finding.of(
                  FindingCode.SEGMENT_MODIFIED,
                  "segment "
                      + (proof.firstSegment() + i)
                      + " "
                      + unverifiable
                      + " is incomplete and cannot match its seal",
                  unverifiable));
        }
        return;
      }
      int got = readFully(content, buf, want);
      if (got < want) {
        throw new IOException("content shrank while it was being verified");
      }
      Digest leaf = Digest.of(h.leaf(buf, 0, want));
      if (!MerkleTree.verifyInclusion(
          proof.algorithm(),
          proof.firstSegment() + i,
          proof.treeSize(),
          leaf,
          proof.inclusionProof(i),
          root)) {
        ByteRange seg = new ByteRange(off, want);
        addOnce(
            findings,
            bad,
            Finding.of(
                FindingCode.SEGMENT_MODIFIED,
                "segment " + (proof.firstSegment() + i) + " " + seg + " differs from the seal",
                seg));
      }
    }
  }

  private static void addOnce(List<Finding> findings, List<ByteRange> bad, Finding f) {
    if (!findings.contains(f)) {
      findings.add(f);
      f.range().ifPresent(bad::add);
    }
  }

  /**
   * The verdict. A seal that is broken (contradicts itself, or was changed after signing) is
   * INCONCLUSIVE and content is not judged against it: its content findings and ranges are dropped,
   * so an edit of the seal is never blamed on the evidence.
   */
  private static VerificationReport summarize(
      List<Finding> findings,
      List<ByteRange> bad,
      long sealedLength,
      long contentLength,
      @Nullable Instant attested) {
    boolean inconclusive = false;
    boolean sealBroken = false;
    for (Finding f : findings) {
      inconclusive |= FindingCode.INCONCLUSIVE.contains(f.code());
      sealBroken |= FindingCode.SEAL_BROKEN.contains(f.code());
    }
    if (sealBroken) {
      findings = new ArrayList<>(findings);
      findings.removeIf(f -> FindingCode.CONTENT.contains(f.code()));
      bad = List.of();
    }
    Verdict v =
        inconclusive ? Verdict.INCONCLUSIVE : bad.isEmpty() ? Verdict.INTACT : Verdict.TAMPERED;
    return new VerificationReport(v, findings, merge(bad), sealedLength, contentLength, attested);
  }

  /** A {@code CHECKPOINT_MISMATCH} for each checkpoint that is not a prefix root of the leaves. */
  static void checkpointMismatches(Seal seal, HashAlgorithm alg, List<Finding> findings) {
    if (seal.checkpoints().isEmpty()) {
      return;
    }
    TreeHasher h = new TreeHasher(alg);
    CompactRange range = new CompactRange(h);
    byte[] buf = new byte[h.width()];
    int next = 0;
    for (Checkpoint cp : seal.checkpoints()) {
      while (range.size() < cp.segments()) {
        seal.leafHash(alg, next++).copyTo(buf, 0);
        range.append(buf, 0);
      }
      if (!Digest.of(range.root()).equals(cp.root(alg))) {
        findings.add(
            Finding.of(
                FindingCode.CHECKPOINT_MISMATCH,
                "checkpoint at "
                    + cp.segments()
                    + " segments ("
                    + alg
                    + ") is not a prefix of the sealed tree"));
      }
    }
  }

  /**
   * Signature and timestamp findings under the configured policy, and the attested time; and, for a
   * seal not broken, {@code UNPRINTABLE_IDENTIFIER} when an id it names hides a character.
   */
  private SealTrustCheck.Result trustFindings(Seal seal) {
    SealTrustCheck.Result r = signerFindings(seal);
    Optional<Finding> hidden = SealTrustCheck.hiddenCharacters(seal);
    if (hidden.isEmpty()
        || r.findings().stream().anyMatch(f -> FindingCode.SEAL_BROKEN.contains(f.code()))) {
      return r;
    }
    List<Finding> all = new ArrayList<>(r.findings());
    all.add(hidden.get());
    return new SealTrustCheck.Result(all, r.attested());
  }

  private SealTrustCheck.Result signerFindings(Seal seal) {
    if (trust != null) {
      return SealTrustCheck.check(seal, trust);
    }
    if (seal.signature().isPresent()) {
      // without anchors the signature still tells whether the seal was changed after signing;
      // it cannot tell who signed
      Optional<Finding> broken = SealTrustCheck.integrity(seal);
      if (broken.isPresent()) {
        return new SealTrustCheck.Result(List.of(broken.get()), null);
      }
      return new SealTrustCheck.Result(
          List.of(
              Finding.of(
                  FindingCode.SIGNATURE_UNCHECKED,
                  "NOT VERIFIED who signed: no trusted signers were given, so the signer is unknown"
                      + " (the seal carries a signature by its own key "
                      + seal.signature().get().keyId()
                      + ", which anyone could have made)")),
          null);
    }
    return new SealTrustCheck.Result(List.of(), null);
  }

  /**
   * Checks a seal on its own, without content: that its leaves fold to its roots, its checkpoints
   * are prefixes, and (with a trust policy) its signature and timestamp.
   */
  public VerificationReport verifySeal(Seal seal) {
    requireNonNull(seal, "seal");
    List<Finding> findings = new ArrayList<>();
    new Comparison(seal).sealConsistency(findings);
    SealTrustCheck.Result trusted = trustFindings(seal);
    findings.addAll(trusted.findings());
    return summarize(findings, List.of(), seal.length(), 0, trusted.attested());
  }

  static List<ByteRange> merge(List<ByteRange> ranges) {
    TreeMap<Long, Long> byStart = new TreeMap<>();
    for (ByteRange r : ranges) {
      if (r.length() > 0) {
        byStart.merge(r.offset(), r.end(), Math::max);
      }
    }
    List<ByteRange> out = new ArrayList<>();
    long start = -1;
    long end = -1;
    for (Map.Entry<Long, Long> e : byStart.entrySet()) {
      if (start >= 0 && e.getKey() <= end) {
        end = Math.max(end, e.getValue());
      } else {
        if (start >= 0) {
          out.add(new ByteRange(start, end - start));
        }
        start = e.getKey();
        end = e.getValue();
      }
    }
    if (start >= 0) {
      out.add(new ByteRange(start, end - start));
    }
    return out;
  }

  /** Content bytes to compare: every sealed segment that is wholly present. */
  private static long plannedLength(Seal seal, long actual) {
    if (actual >= seal.length()) {
      return seal.length();
    }
    return actual / seal.segmentSize() * seal.segmentSize();
  }

  private SegmentPipeline pipeline(Seal seal, boolean fileReads, long bytes, Comparison c) {
    return new SegmentPipeline(
        seal.suite().algorithms(),
        executor,
        parallelism,
        fileReads,
        seal.segmentSize(),
        0,
        bytes,
        lanePolicy,
        c);
  }

  static int readFully(ReadableByteChannel ch, byte[] buf, int want) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
    while (bb.hasRemaining()) {
      if (ch.read(bb) < 0) {
        break;
      }
    }
    return bb.position();
  }

  private static long drainRemaining(ReadableByteChannel ch) throws IOException {
    ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    long n = 0;
    while (true) {
      scratch.clear();
      int r = ch.read(scratch);
      if (r < 0) {
        return n;
      }
      n += r;
    }
  }

  /** Compares re-computed leaves with the sealed ones, in order, and writes the report. */
  private final class Comparison implements SegmentPipeline.Sink {
    private final Seal seal;
    private final List<HashAlgorithm> algorithms;
    private final Map<Integer, Digest> mismatched = new TreeMap<>();
    private final List<Integer> disagreeing = new ArrayList<>();
    private long checked;
    private long bytes;
    private byte[][] lastAtContentLength;
    private @Nullable String fileName;

    Comparison(Seal seal) {
      this.seal = seal;
      this.algorithms = seal.suite().algorithms();
    }

    @Override
    public void accept(long index, int length, byte[][] leafHashes) {
      int i = (int) index;
      boolean first = false;
      int matches = 0;
      for (int a = 0; a < algorithms.size(); a++) {
        boolean eq = seal.leafHash(algorithms.get(a), i).equals(Digest.of(leafHashes[a]));
        if (a == 0) {
          first = eq;
        }
        if (eq) {
          matches++;
        }
      }
      if (matches != 0 && matches != algorithms.size()) {
        disagreeing.add(i);
      }
      if (!first) {
        mismatched.put(i, Digest.of(leafHashes[0]));
      }
      checked++;
      bytes += length;
      if (progress != null) {
        progress.accept(bytes);
      }
    }

    /** Leaf hashes of the content's last segment cut at the content's own length. */
    void lastSegmentAtContentLength(byte[][] leafHashes) {
      this.lastAtContentLength = leafHashes;
    }

    /**
     * Whether the content matches every sealed leaf when cut at its own length: then the seal's
     * length field, not the content, is what changed.
     */
    private boolean lengthEdited() {
      if (lastAtContentLength == null) {
        return false;
      }
      int last = seal.segmentCount() - 1;
      for (int a = 0; a < algorithms.size(); a++) {
        if (!seal.leafHash(algorithms.get(a), last).equals(Digest.of(lastAtContentLength[a]))) {
          return false;
        }
      }
      for (int i : mismatched.keySet()) {
        if (i != last) {
          return false;
        }
      }
      return disagreeing.isEmpty() || disagreeing.equals(List.of(last));
    }

    VerificationReport report(long actual) {
      List<Finding> findings = new ArrayList<>();
      List<ByteRange> bad = new ArrayList<>();
      sealConsistency(findings);
      if (lengthEdited()) {
        findings.add(
            Finding.of(
                FindingCode.SEAL_INCONSISTENT,
                "the seal states a length of "
                    + seal.length()
                    + " bytes, but its "
                    + seal.segmentCount()
                    + " leaves match the content's "
                    + actual
                    + " bytes exactly: the seal's length was altered, not the content"));
      }
      if (!disagreeing.isEmpty()) {
        findings.add(
            Finding.of(
                FindingCode.SUITE_DISAGREEMENT,
                "the "
                    + seal.suite()
                    + " trees disagree on "
                    + disagreeing.size()
                    + " segment(s), first "
                    + disagreeing.get(0)
                    + ": the seal's leaf lists were altered"));
      }
      modifiedRuns(findings, bad);
      movedSegments(findings);
      int s = seal.segmentSize();
      if (actual < seal.length()) {
        long verifiedEnd = actual / s * s;
        if (verifiedEnd < actual) {
          ByteRange partial = new ByteRange(verifiedEnd, actual - verifiedEnd);
          findings.add(
              Finding.of(
                  FindingCode.SEGMENT_MODIFIED,
                  "segment "
                      + (verifiedEnd / s)
                      + " is cut short at byte "
                      + actual
                      + " and cannot match its seal",
                  partial));
          bad.add(partial);
        }
        ByteRange missing = new ByteRange(actual, seal.length() - actual);
        findings.add(
            Finding.of(
                FindingCode.CONTENT_TRUNCATED,
                "content is "
                    + actual
                    + " bytes, sealed "
                    + seal.length()
                    + ": "
                    + missing.length()
                    + " bytes missing from the end",
                missing));
        bad.add(missing);
      } else if (actual > seal.length()) {
        ByteRange extra = new ByteRange(seal.length(), actual - seal.length());
        findings.add(
            Finding.of(
                FindingCode.CONTENT_EXTENDED,
                extra.length() + " bytes appended after the sealed " + seal.length() + " bytes",
                extra));
        bad.add(extra);
      }
      SealTrustCheck.Result trusted = trustFindings(seal);
      findings.addAll(trusted.findings());
      otherContent(actual).ifPresent(f -> findings.add(0, f));
      if (seal.length() == 0 && actual == 0) {
        findings.add(
            0,
            Finding.of(
                FindingCode.EMPTY_RECORDING,
                "the recording is empty (0 bytes) and so is its seal: nothing was recorded"));
      }
      return summarize(findings, bad, seal.length(), actual, trusted.attested());
    }

    /**
     * Whether the seal was made for other content. Three or more compared segments that all differ
     * say so alone; with one or two, a wholesale mismatch is as likely an edit, so it takes a
     * second sign: another length than sealed (not an append: the sealed length is compared as
     * sealed) or another file name than the seal's original one.
     */
    private Optional<Finding> otherContent(long actual) {
      if (mismatched.size() != checked) {
        return Optional.empty();
      }
      Optional<String> sealedName =
          seal.metadata().flatMap(org.evidencekit.seal.RecordingMetadata::originalFileName);
      boolean otherName =
          fileName != null && sealedName.isPresent() && !sealedName.get().equals(fileName);
      boolean sameName = fileName != null && sealedName.map(fileName::equals).orElse(false);
      boolean otherLength = actual != seal.length();
      if (checked < 3 && !otherName && (sameName || !otherLength)) {
        return Optional.empty();
      }
      // content that ends inside the first segment leaves nothing whole to compare: a cut is as
      // likely, so it takes both other signs (the cut of a renamed copy reads as other content)
      if (checked == 0 && !(otherName && otherLength)) {
        return Optional.empty();
      }
      StringBuilder why =
          new StringBuilder(
              checked == 0 ? "no whole segment could be compared" : "none of the " + checked);
      if (checked > 0) {
        why.append(checked == 1 ? " compared segment matches" : " compared segments matches");
      }
      if (otherLength) {
        why.append(", the content is ")
            .append(actual)
            .append(" bytes where ")
            .append(seal.length())
            .append(" were sealed");
      }
      if (otherName) {
        why.append(", the seal is for '")
            .append(sealedName.get())
            .append("', not '")
            .append(fileName)
            .append("'");
      }
      why.append(": this seal was probably made for other content");
      return Optional.of(Finding.of(FindingCode.SEAL_NOT_FOR_CONTENT, why.toString()));
    }

    private void sealConsistency(List<Finding> findings) {
      for (HashAlgorithm alg : algorithms) {
        if (!seal.computeRoot(alg).equals(seal.root(alg))) {
          findings.add(
              Finding.of(
                  FindingCode.SEAL_ROOT_MISMATCH,
                  "the seal's "
                      + alg
                      + " leaf hashes do not fold to its stored root "
                      + seal.root(alg)));
        }
        checkpointMismatches(seal, alg, findings);
      }
    }

    private void modifiedRuns(List<Finding> findings, List<ByteRange> bad) {
      int runStart = -1;
      int prev = -2;
      for (int i : mismatched.keySet()) {
        if (i != prev + 1) {
          if (runStart >= 0) {
            addRun(runStart, prev, findings, bad);
          }
          runStart = i;
        }
        prev = i;
      }
      if (runStart >= 0) {
        addRun(runStart, prev, findings, bad);
      }
    }

    private void addRun(int first, int last, List<Finding> findings, List<ByteRange> bad) {
      long off = seal.segmentRange(first).offset();
      long end = seal.segmentRange(last).end();
      ByteRange r = new ByteRange(off, end - off);
      String which =
          first == last
              ? "segment " + first + " " + r + " differs"
              : "segments " + first + " to " + last + " " + r + " differ";
      findings.add(Finding.of(FindingCode.SEGMENT_MODIFIED, which + " from the seal", r));
      bad.add(r);
    }

    private void movedSegments(List<Finding> findings) {
      if (mismatched.isEmpty()) {
        return;
      }
      HashAlgorithm primary = seal.suite().primary();
      Map<Digest, Integer> sealedAt = new HashMap<>();
      for (int i = seal.segmentCount() - 1; i >= 0; i--) {
        sealedAt.put(seal.leafHash(primary, i), i);
      }
      for (Map.Entry<Integer, Digest> e : mismatched.entrySet()) {
        Integer from = sealedAt.get(e.getValue());
        if (from != null) {
          ByteRange at = seal.segmentRange(e.getKey());
          findings.add(
              Finding.of(
                  FindingCode.SEGMENT_MOVED,
                  "segment "
                      + e.getKey()
                      + " "
                      + at
                      + " holds the content sealed as segment "
                      + from
                      + " "
                      + seal.segmentRange(from),
                  at));
        }
      }
    }
  }

  /** Configures a {@link Verifier}. */
  public static final class Builder {
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private boolean parallelismSet;
    private Executor executor;
    private LongConsumer progress;
    private TrustPolicy trust;
    private LanePolicy lanePolicy;

    private Builder() {}

    /** A setting made twice is a caller's mistake: the first value would be silently lost. */
    private static void once(boolean alreadySet, String setting) {
      if (alreadySet) {
        throw new IllegalStateException(setting + " is already set on this Verifier.Builder");
      }
    }

    /**
     * Also check the seal's signature and timestamp under {@code policy}; without one, a signed
     * seal's signature is reported as not checked ({@link FindingCode#SIGNATURE_UNCHECKED}).
     */
    public Builder trust(TrustPolicy policy) {
      requireNonNull(policy, "policy");
      once(trust != null, "trust");
      this.trust = policy;
      return this;
    }

    public Builder parallelism(int workers) {
      if (workers < 1 || workers > 256) {
        throw new IllegalArgumentException("parallelism must be 1 to 256, got " + workers);
      }
      once(parallelismSet, "parallelism");
      this.parallelismSet = true;
      this.parallelism = workers;
      return this;
    }

    /** Where segment hashing runs; never shut down by the verifier. */
    public Builder executor(Executor executor) {
      requireNonNull(executor, "executor");
      once(this.executor != null, "executor");
      this.executor = executor;
      return this;
    }

    /** Called with the number of bytes verified so far. */
    public Builder progress(LongConsumer bytesVerified) {
      requireNonNull(bytesVerified, "bytesVerified");
      once(progress != null, "progress");
      this.progress = bytesVerified;
      return this;
    }

    /**
     * How many bytes of small files this verifier hashes on scalar SM3 while the JIT has not yet
     * compiled the SM3 vector lanes, before it takes the lanes for every file (as {@link
     * org.evidencekit.seal.Sealer.Builder#sm3ColdLaneBudget}); 0 takes them from the first file.
     * Without it the verifier shares the JVM's one budget. Only the speed changes, never a verdict.
     */
    public Builder sm3ColdLaneBudget(long bytes) {
      once(lanePolicy != null, "sm3ColdLaneBudget");
      this.lanePolicy = new LanePolicy(bytes);
      return this;
    }

    public Verifier build() {
      if (lanePolicy == null) {
        lanePolicy = LanePolicy.shared();
      }
      return new Verifier(this);
    }
  }
}
