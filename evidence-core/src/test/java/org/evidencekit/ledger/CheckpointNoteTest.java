package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.evidencekit.hash.Digest;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.note.NoteKeys;
import org.evidencekit.internal.note.SignedNote;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * C2SP checkpoints, cosignatures and witnesses: published vectors, a tamper matrix, a
 * witness that refuses rollbacks and forks, k-of-n policies, and Go's {@code
 * golang.org/x/mod/sumdb/note} reading our notes when it is installed.
 */
class CheckpointNoteTest {
  @TempDir Path dir;

  /** Go's x/mod note tests: Peter Neumann's key and signed note (Ed25519 is deterministic). */
  static final String PETER_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

  static final String PETER_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

  static final String PETER_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";

  static final String PETER_SIG =
      "\u2014 PeterNeumann"
          + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  /** The tlog-cosignature specification's example checkpoint with a cosignature. */
  static final String SPEC_EXAMPLE =
      "example.com/behind-the-sofa\n"
          + "20852163\n"
          + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
          + "\n"
          + "\u2014 example.com/behind-the-sofa"
          + " Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
          + "\u2014 witness.example.com/w1"
          + " jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

  private SigningKeys.LocalSigningKey peter() throws IOException {
    byte[] typed = Base64.getDecoder().decode(PETER_SKEY.split("\\+", 5)[4]);
    byte[] seed = java.util.Arrays.copyOfRange(typed, 1, 33);
    Path pem = dir.resolve("peter.pem");
    Files.writeString(
        pem, Crypto.pem("PRIVATE KEY", Crypto.pkcs8(new Ed25519PrivateKeyParameters(seed, 0))));
    return SigningKeys.readPem(pem, null);
  }

  @Test
  void goNoteVectorIsReproducedByteForByte() throws IOException {
    SigningKeys.LocalSigningKey k = peter();
    assertEquals(PETER_VKEY, LogCheckpoint.verifierKey("PeterNeumann", k.publicKeyDer()));
    byte[] text = PETER_TEXT.getBytes(StandardCharsets.UTF_8);
    int id = NoteKeys.logKeyId("PeterNeumann", SignatureSuite.ED25519, k.publicKeyDer());
    assertEquals(0xc74f20a3, id);
    SignedNote n =
        SignedNote.of(text, List.of(new SignedNote.Signature("PeterNeumann", id, k.sign(text))));
    assertEquals(PETER_TEXT + "\n" + PETER_SIG, new String(n.encoded(), StandardCharsets.UTF_8));
  }

  @Test
  void theSpecsExampleParsesWithItsCosignatureTime() throws IOException {
    LogCheckpoint cp = LogCheckpoint.parse(SPEC_EXAMPLE.getBytes(StandardCharsets.UTF_8));
    assertEquals("example.com/behind-the-sofa", cp.origin());
    assertEquals(20852163L, cp.size());
    assertEquals(
        "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62", cp.root().hex());
    List<SignedNote.Signature> sigs = cp.note().signatures();
    assertEquals(2, sigs.size());
    assertEquals(64, sigs.get(0).value().length, "Ed25519 log signature");
    byte[] cosig = sigs.get(1).value();
    assertEquals(8 + 64, cosig.length, "timestamped_signature");
    // the specification's signed message for this example says "time 1679315147"
    assertEquals(1679315147L, ByteBuffer.wrap(cosig).getLong());
    assertArrayEquals(SPEC_EXAMPLE.getBytes(StandardCharsets.UTF_8), cp.encoded());
  }

  private static LogCheckpoint checkpointOf(SigningKeys.LocalSigningKey key, long size)
      throws IOException {
    Digest root = Digest.of(new byte[32]);
    return LogCheckpoint.sign("ledger.bureau-7.example/evidence", size, root, key);
  }

  static List<SignatureSuite> suites() {
    return List.of(
        SignatureSuite.ED25519, SignatureSuite.ECDSA_P256_SHA256, SignatureSuite.SM2_SM3);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aNoteVerifiesUnderItsKeyAndNoOther(SignatureSuite suite) throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
    TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    LogCheckpoint cp = LogCheckpoint.parse(checkpointOf(key, 12).encoded());
    assertTrue(cp.verify(trusted));
    assertEquals(12, cp.size());
    TrustAnchors other =
        TrustAnchors.ofPublicKeys(List.of(SigningKeys.generate(suite).publicKeyDer()));
    assertFalse(cp.verify(other));
    // the JSON view carries the note and reads back to the same checkpoint
    LogCheckpoint viaJson = LogCheckpoint.parse(cp.toJson());
    assertArrayEquals(cp.encoded(), viaJson.encoded());
    assertTrue(viaJson.verify(trusted));
  }

  @Test
  void everyChangedByteOfTheTextIsRefused() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    byte[] note = checkpointOf(key, 7).encoded();
    int textEnd = new String(note, StandardCharsets.UTF_8).indexOf("\n\n") + 1;
    for (int i = 0; i < textEnd; i++) {
      byte[] b = note.clone();
      b[i] ^= 0x01;
      LogCheckpoint cp;
      try {
        cp = LogCheckpoint.parse(b);
      } catch (LedgerException e) {
        continue; // no longer a checkpoint at all: refused too
      }
      assertFalse(cp.verify(trusted), "byte " + i + " changed and still verified");
    }
  }

  @Test
  void malformedNotesAreRefusedWithAReason() {
    String good = "log.example/a\n5\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
    String sig = "\u2014 log.example/a AAAAAAAA\n";
    for (String bad :
        List.of(
            good + sig, // no blank line before the signatures
            good + "\n", // no signature
            good.replace("\n5\n", "\n05\n") + "\n" + sig, // leading zero
            good.replace("\n5\n", "\n-5\n") + "\n" + sig,
            "log.example/a\n5\n\n" + sig, // no root
            good.replace("AAAA", "AAA") + "\n" + sig, // root not 32 bytes
            good + "\n\u2014 log.example/a !!!!\n", // not base64
            good + "\n\u2014 log.ex+ample/a AAAAAAAA\n", // '+' in a key name
            good + "\n" + sig.trim(), // no final newline
            good.replace("log.example/a", "log\u0007example") + "\n" + sig)) {
      assertThrows(
          LedgerException.class,
          () -> LogCheckpoint.parse(bad.getBytes(StandardCharsets.UTF_8)),
          bad);
    }
    assertThrows(LedgerException.class, () -> LogCheckpoint.parse(new byte[] {(byte) 0xff}));
  }

  @Test
  void hostileNotesAreRefusedQuickly() {
    String text = "log.example/a\n5\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n\n";
    String line = "\u2014 log.example/a " + Base64.getEncoder().encodeToString(new byte[68]) + "\n";
    List<byte[]> hostile =
        List.of(
            (text + line.repeat(SignedNote.MAX_SIGNATURES + 1)).getBytes(StandardCharsets.UTF_8),
            (text + "x".repeat(SignedNote.MAX_BYTES * 3) + "\n" + line)
                .getBytes(StandardCharsets.UTF_8),
            ("\n".repeat(SignedNote.MAX_BYTES - 200) + line).getBytes(StandardCharsets.UTF_8),
            new byte[SignedNote.MAX_BYTES * 2 + 1]);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(10),
        () -> {
          for (byte[] b : hostile) {
            assertThrows(LedgerException.class, () -> LogCheckpoint.parse(b));
          }
        });
  }

  @Test
  void aJsonCheckpointIsVerifiedOverItsBytesAsWritten() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    String root = "ab".repeat(32);
    byte[] good = legacy(key, "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", root);
    assertTrue(LogCheckpoint.parse(good).verify(trusted));
    assertEquals(
        Optional.of(Instant.parse("2026-03-01T00:00:00Z")), LogCheckpoint.parse(good).time());
    // the same instant written differently was never signed: it must not verify
    byte[] respelled = legacy(key, "2026-03-01T00:00:00Z", "2026-03-01T00:00:00.000Z", root);
    assertFalse(LogCheckpoint.parse(respelled).verify(trusted));
    // a form that is not canonical would be rewritten before checking: refused
    String upper = new String(good, StandardCharsets.UTF_8).replace(root, root.toUpperCase());
    assertThrows(
        LedgerException.class, () -> LogCheckpoint.parse(upper.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A checkpoint of the earlier JSON form, signed over {@code signedTime}, stating {@code time}.
   */
  private static byte[] legacy(
      SigningKeys.LocalSigningKey key, String signedTime, String time, String root) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("format", LogCheckpoint.FORMAT);
    payload.put("size", 3L);
    payload.put("root", root);
    payload.put("time", signedTime);
    byte[] sig = key.sign(CanonicalJson.encode(payload));
    Map<String, Object> m = new LinkedHashMap<>(payload);
    m.put("time", time);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("suite", key.suite().name());
    s.put("keyId", KeyIds.of(key.publicKeyDer()));
    s.put("publicKey", Base64.getEncoder().encodeToString(key.publicKeyDer()));
    s.put("value", Base64.getEncoder().encodeToString(sig));
    m.put("signature", s);
    return CanonicalJson.encode(m);
  }

  @Test
  void checkpointSignsWithTheGivenKeyOrRefuses() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey b = SigningKeys.generate(SignatureSuite.SM2_SM3);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), EvidenceLedgerTest.CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, EvidenceLedgerTest.CLOCK);
      l.append(EvidenceLedgerTest.entry(0));
      LogCheckpoint cpA = l.checkpoint("log.example/x", a);
      assertArrayEquals(cpA.encoded(), l.checkpoint("log.example/x", a).encoded());
      LedgerException e =
          assertThrows(LedgerException.class, () -> l.checkpoint("log.example/x", b));
      assertTrue(e.getMessage().contains("signed by another key"), e.getMessage());
      assertThrows(LedgerException.class, () -> l.checkpoint("log.example/other", a));
      l.append(EvidenceLedgerTest.entry(1));
      LogCheckpoint cpB = l.checkpoint("log.example/x", b);
      assertTrue(cpB.verify(TrustAnchors.ofPublicKeys(List.of(b.publicKeyDer()))));
      assertFalse(cpB.verify(TrustAnchors.ofPublicKeys(List.of(a.publicKeyDer()))));
      assertEquals(2, l.checkpoints().size());
      assertTrue(
          l.verify(TrustAnchors.ofPublicKeys(List.of(a.publicKeyDer(), b.publicKeyDer())))
              .intact());
    }
  }

  /** A log with entries appended as the test goes. */
  private final class Log implements AutoCloseable {
    final FileSystemEvidenceStore store;
    final EvidenceLedger ledger;
    final SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    final TrustAnchors trust;
    int next;

    Log(String name) throws IOException {
      store = FileSystemEvidenceStore.openOrCreate(dir.resolve(name), EvidenceLedgerTest.CLOCK);
      ledger = EvidenceLedger.open(store, EvidenceLedgerTest.CLOCK);
      trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    }

    LogCheckpoint grow(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        ledger.append(EvidenceLedgerTest.entry(next++));
      }
      return ledger.checkpoint("ledger.bureau-7.example/evidence", key);
    }

    @Override
    public void close() throws IOException {
      store.close();
    }
  }

  static final Instant T = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void aWitnessCosignsOnlyAConsistentExtension() throws IOException {
    Witness w =
        Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    try (Log log = new Log("a");
        Log fork = new Log("b")) {
      LogCheckpoint c3 = log.grow(3);
      LogCheckpoint s3 = w.cosign(c3, log.trust, Optional.empty(), Optional.empty(), T);
      LogCheckpoint c5 = log.grow(2);
      // a larger checkpoint needs a proof from the last one cosigned
      assertThrows(
          LedgerException.class,
          () -> w.cosign(c5, log.trust, Optional.of(s3), Optional.empty(), T));
      ConsistencyProof p35 = log.ledger.proveConsistency(3, 5);
      LogCheckpoint s5 = w.cosign(c5, log.trust, Optional.of(s3), Optional.of(p35), T);
      // rollback: back to 3 after having cosigned 5
      assertThrows(
          LedgerException.class,
          () -> w.cosign(c3, log.trust, Optional.of(s5), Optional.empty(), T));
      // fork: another history of the same size and origin, signed by the same log key
      for (int i = 0; i < 5; i++) {
        fork.ledger.append(EvidenceLedgerTest.entry(100 + i));
      }
      LogCheckpoint forked = fork.ledger.checkpoint("ledger.bureau-7.example/evidence", log.key);
      assertThrows(
          LedgerException.class,
          () -> w.cosign(forked, log.trust, Optional.of(s5), Optional.empty(), T));
      // a proof for another pair of trees does not pass
      LogCheckpoint c9 = log.grow(4);
      ConsistencyProof wrong = log.ledger.proveConsistency(4, 9);
      assertThrows(
          LedgerException.class,
          () -> w.cosign(c9, log.trust, Optional.of(s5), Optional.of(wrong), T));
      // not signed by the log key
      assertThrows(
          LedgerException.class,
          () -> w.cosign(c9, fork.trust, Optional.of(s5), Optional.empty(), T));
      WitnessPolicy policy = WitnessPolicy.of(1, List.of(w.verifierKey()));
      assertEquals(Map.of(w.name(), T), policy.cosignatures(s5));
      assertTrue(s5.verify(log.trust), "the log's own signature survives cosigning");
    }
  }

  @Test
  void aPublishedCheckpointIsCheckedAgainstTheLogItsKeysAndItsWitnesses() throws IOException {
    Witness w =
        Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy policy = WitnessPolicy.of(1, List.of(w.verifierKey()));
    try (Log log = new Log("p");
        Log fork = new Log("q")) {
      LogCheckpoint cp = log.grow(3);
      LogCheckpoint cosigned = w.cosign(cp, log.trust, Optional.empty(), Optional.empty(), T);
      assertEquals(List.of(), log.ledger.checkPublished(cosigned, log.trust, policy));
      log.grow(2);
      assertEquals(
          List.of(),
          log.ledger.checkPublished(cosigned, log.trust, policy),
          "an older state of a log that grew is still a state of it");
      assertEquals(
          List.of(LedgerFindingCode.WITNESS_QUORUM_MISSED),
          codes(log.ledger.checkPublished(cp, log.trust, policy)),
          "not cosigned");
      assertEquals(
          List.of(LedgerFindingCode.CHECKPOINT_UNTRUSTED),
          codes(log.ledger.checkPublished(cosigned, fork.trust, policy)));
      // the operator shows the witness another history of the same size: a fork
      for (int i = 0; i < 3; i++) {
        fork.ledger.append(EvidenceLedgerTest.entry(50 + i));
      }
      LogCheckpoint other = fork.ledger.checkpoint("ledger.bureau-7.example/evidence", log.key);
      LogCheckpoint otherCosigned =
          Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519))
              .cosign(other, log.trust, Optional.empty(), Optional.empty(), T);
      List<Finding> p = log.ledger.checkPublished(otherCosigned, log.trust, policy);
      assertTrue(
          p.stream()
              .anyMatch(
                  x ->
                      x.code().equals(LedgerFindingCode.CHECKPOINT_NOT_OF_THIS_LOG)
                          && x.message().contains("not a state of this log")),
          p::toString);
    }
  }

  private static List<String> codes(List<Finding> findings) {
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.code()));
    return out;
  }

  @Test
  void kOfNWitnessesAreCountedAndBadCosignaturesAreNot() throws IOException {
    List<Witness> ws = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ws.add(
          Witness.create(
              "legal.bureau-7.example/w" + i, SigningKeys.generate(SignatureSuite.ED25519)));
    }
    List<String> vkeys = new ArrayList<>();
    ws.forEach(x -> vkeys.add(x.verifierKey()));
    WitnessPolicy twoOfThree = WitnessPolicy.of(2, vkeys);
    try (Log log = new Log("k")) {
      LogCheckpoint cp = log.grow(4);
      LogCheckpoint one = ws.get(0).cosign(cp, log.trust, Optional.empty(), Optional.empty(), T);
      assertFalse(twoOfThree.isSatisfiedBy(one));
      LogCheckpoint two =
          ws.get(2).cosign(one, log.trust, Optional.empty(), Optional.empty(), T.plusSeconds(9));
      assertTrue(twoOfThree.isSatisfiedBy(two));
      assertEquals(
          List.of("legal.bureau-7.example/w1", "legal.bureau-7.example/w3"),
          new ArrayList<>(twoOfThree.cosignatures(two).keySet()));
      // a cosignature whose time was changed no longer verifies
      String note = new String(two.encoded(), StandardCharsets.UTF_8);
      String line = note.lines().filter(l -> l.contains("/w3 ")).findFirst().orElseThrow();
      byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
      raw[4 + 7] ^= 1;
      String edited =
          note.replace(
              line,
              line.substring(0, line.lastIndexOf(' ') + 1)
                  + Base64.getEncoder().encodeToString(raw));
      LogCheckpoint changed = LogCheckpoint.parse(edited.getBytes(StandardCharsets.UTF_8));
      assertFalse(twoOfThree.isSatisfiedBy(changed));
      // a witness not in the policy counts for nothing, even with a valid cosignature
      Witness stranger =
          Witness.create("legal.bureau-7.example/w2", SigningKeys.generate(SignatureSuite.ED25519));
      LogCheckpoint withStranger =
          stranger.cosign(one, log.trust, Optional.empty(), Optional.empty(), T);
      assertEquals(1, twoOfThree.cosignatures(withStranger).size());
    }
    assertThrows(IllegalArgumentException.class, () -> WitnessPolicy.of(4, vkeys));
    assertThrows(IllegalArgumentException.class, () -> WitnessPolicy.of(0, vkeys));
    assertThrows(
        IllegalArgumentException.class,
        () -> WitnessPolicy.of(1, List.of(vkeys.get(0), vkeys.get(0))));
    String badId = vkeys.get(0).replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThrows(IllegalArgumentException.class, () -> WitnessPolicy.of(1, List.of(badId)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Witness.create("w", SigningKeys.generate(SignatureSuite.SM2_SM3)));
  }

  // ------------------------------------------------------------------ Go's x/mod note (opt-in)

  private static final Path GO_NOTE =
      Path.of("/usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go");

  private String goNoteCheck(Path note, String... vkeys) throws IOException, InterruptedException {
    Path src = dir.resolve("go/notecheck");
    Files.createDirectories(src);
    try (InputStream in = getClass().getResourceAsStream("/go/notecheck/main.go")) {
      Files.write(src.resolve("main.go"), in.readAllBytes());
    }
    List<String> cmd = new ArrayList<>(List.of("go", "run", "main.go", note.toString()));
    cmd.addAll(List.of(vkeys));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(src.toFile()).redirectErrorStream(true);
    pb.environment().put("GO111MODULE", "off");
    pb.environment().put("GOPATH", "/usr/share/gocode");
    pb.environment().put("GOCACHE", dir.resolve("gocache").toString());
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("GOFLAGS", "");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "go run timed out");
    return p.exitValue() + "\n" + out;
  }

  private static boolean goAvailable() {
    try {
      Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(GO_NOTE);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void goXModNoteOpensOurCosignedCheckpointAndRefusesATamperedOne() throws Exception {
    assumeTrue(
        goAvailable(),
        "opt-in: needs go and golang.org/x/mod (Debian golang-go, golang-golang-x-mod-dev)");
    Witness w =
        Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    try (Log log = new Log("go")) {
      LogCheckpoint cp = log.grow(6);
      LogCheckpoint cosigned = w.cosign(cp, log.trust, Optional.empty(), Optional.empty(), T);
      Path note = dir.resolve("cp.note");
      Files.write(note, cosigned.encoded());
      String logKey =
          LogCheckpoint.verifierKey("ledger.bureau-7.example/evidence", log.key.publicKeyDer());
      String out = goNoteCheck(note, logKey, w.verifierKey());
      assertTrue(out.startsWith("0\n"), out);
      assertTrue(out.contains("TEXT\n" + new String(cp.text(), StandardCharsets.UTF_8)), out);
      assertTrue(out.contains("SIGNED ledger.bureau-7.example/evidence"), out);
      assertTrue(out.contains("SIGNED legal.bureau-7.example/w1"), out);
      String tampered =
          new String(cosigned.encoded(), StandardCharsets.UTF_8).replaceFirst("\n6\n", "\n7\n");
      Files.writeString(note, tampered);
      out = goNoteCheck(note, logKey, w.verifierKey());
      assertTrue(out.startsWith("1\n") && out.contains("REJECTED"), out);
    }
  }
}
