package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.evidencekit.seal.Seal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: outputs, exit codes and one-line errors. */
class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EvidenceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * A trusted clock's mark file in {@code dir}, written a minute in the past when missing: the
   * ledger commands that append read the trusted clock, and a store whose ledger is still empty is
   * anchored on this mark instead of needing a named initialisation (a {@code clock-initialised}
   * entry) or the user's own {@code ~/.evidencekit/clock-mark}.
   */
  static String mark(Path dir) {
    Path m = dir.resolve("clock-mark");
    try {
      if (!Files.exists(m)) {
        Files.writeString(m, java.time.Instant.now().minusSeconds(60) + "\n");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return m.toString();
  }

  private Path recording(int length) throws IOException {
    byte[] b = new byte[length];
    new Random(length).nextBytes(b);
    Path p = dir.resolve("rec-" + length + ".mp4");
    Files.write(p, b);
    return p;
  }

  private static JsonNode json(String s) throws IOException {
    return new ObjectMapper().readTree(s);
  }

  private static void assertOneLineError(Run r, String containing) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("evidence: "), r.err());
    assertTrue(r.err().contains(containing), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  @Test
  void helpAndVersion() {
    Run help = run("--help");
    assertEquals(0, help.code());
    for (String c : new String[] {"seal", "verify", "prove", "demo"}) {
      assertTrue(help.out().contains(c), c);
    }
    Run v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("evidence "));
    // the test JVM has the Vector API module, as the launcher gives every SM3 command
    assertTrue(
        v.out().matches("(?s).*SM3: \\d+ segments per core at once \\(Vector API\\).*"), v.out());
  }

  /**
   * A JVM whose JIT stops at C1 (a common start-up setting) must not run SM3 on the lanes, where
   * every vector is an object: a 256 MiB seal took 64 s there instead of 1.3 s on scalar code.
   */
  @Test
  void aJvmWithoutC2KeepsSm3OffTheLanes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                EvidenceCommand.class.getName(),
                "--version")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("SM3: scalar, one segment at a time (the JIT runs without C2"), out);
  }

  /**
   * The AWS SDK logs through SLF4J, and the CLI bundles no binding: an ingest into an S3 store says
   * only what went wrong, on the fast path as through picocli, never SLF4J's three-line "no
   * providers" notice.
   */
  @Test
  void anS3IngestPrintsNoLoggingNoticeOnEitherPath() throws Exception {
    Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
    String store = "s3://bucket/p?endpoint=http://127.0.0.1:9";
    for (String[] args :
        List.of(
            new String[] {"ingest", "a.bin", "--store", store, "--device", "D", "--officer", "o"},
            new String[] {
              "ingest", "a.bin", "--store=" + store, "--device", "D", "--officer", "o"
            })) {
      // credentials of its own: the SDK goes straight to the (closed) endpoint
      Run r =
          runMain(
              dir,
              Map.of(
                  "AWS_ACCESS_KEY_ID", "test",
                  "AWS_SECRET_ACCESS_KEY", "test",
                  "AWS_REGION", "us-east-1",
                  "AWS_EC2_METADATA_DISABLED", "true"),
              args);
      int code = r.code();
      String err = r.err();
      assertEquals(2, code, List.of(args) + ": " + err);
      assertFalse(err.contains("SLF4J"), List.of(args) + ": " + err);
      assertTrue(err.startsWith("evidence: "), List.of(args) + ": " + err);
    }
  }

  /** Runs the real main in a JVM of its own: exit code, stdout, stderr. */
  private static Run runMain(Path workDir, String... args) throws Exception {
    return runMain(workDir, Map.of(), args);
  }

  /** {@link #runMain(Path, String...)} with these environment variables added. */
  static Run runMain(Path workDir, Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EvidenceCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectError(workDir.resolve("stderr.txt").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    return new Run(code, out, Files.readString(workDir.resolve("stderr.txt")));
  }

  /**
   * A file name is whatever the camera or a hostile hand gave it: its control characters (ESC
   * sequences that recolour or rewrite the screen, BEL) reach the terminal escaped, on the fast
   * path, through picocli and in an error line.
   */
  @Test
  void controlCharactersInNamesAreEscapedNotSentToTheTerminal() throws Exception {
    String name = "bad\u001b[2J\u001b[32mINTACT\u0007\u009b.mp4";
    Files.write(dir.resolve(name), new byte[] {1, 2, 3});
    for (String[] args :
        List.of(
            new String[] {"seal", name},
            new String[] {"verify", name, "--json"},
            new String[] {"probe", name},
            new String[] {"seal", "missing-" + name})) {
      Run r = runMain(dir, args);
      String both = r.out() + r.err();
      // the name is there, its control characters in some visible form (\x1b, \u001B)
      assertTrue(
          both.contains("bad\\x1b[2J\\x1b[32mINTACT\\x07\\u009b")
              || both.contains("bad\\u001B[2J\\u001B[32mINTACT\\u0007\\u009B")
              || both.contains("bad\\u001B[2J\\u001B[32mINTACT\\u0007\\u009b"),
          args[0] + ": " + both);
      assertTrue(
          both.chars()
              .noneMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)),
          args[0] + " sent a control character: " + both);
    }
  }

  /** A line break in a file name cannot add a line to what seal and verify print. */
  @Test
  void aLineBreakInANameCannotForgeALine() throws IOException {
    Path f = dir.resolve("a.mp4\nINTACT b.mp4");
    Files.write(f, new byte[] {1, 2, 3});
    Run s = run("seal", f.toString());
    assertEquals(0, s.code(), s.err());
    assertEquals(3, s.out().lines().count(), s.out());
    assertTrue(s.out().contains("a.mp4\\u000AINTACT b.mp4"), s.out());
    Files.write(f, new byte[] {1, 2, 4});
    Run v = run("verify", f.toString());
    assertEquals(1, v.code(), v.out());
    assertTrue(v.out().startsWith("TAMPERED "), v.out());
    assertFalse(v.out().lines().anyMatch(l -> l.startsWith("INTACT")), v.out());
  }

  /** A bad key, KEK, suite or TSA URL given to ingest is refused before a store is created. */
  @Test
  void ingestWithABadKeyCreatesNoStore() throws IOException {
    Path rec = recording(1000);
    Path empty = Files.createFile(dir.resolve("empty.pem"));
    Path store = dir.resolve("new-store");
    String[][] extras = {
      {"--key", empty.toString()},
      {"--key", rec.toString()},
      {"--encrypt", "sm4-gcm", "--kek", empty.toString()},
      {"--encrypt", "des", "--kek", empty.toString()},
    };
    for (String[] extra : extras) {
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "ingest",
                  rec.toString(),
                  "--store",
                  store.toString(),
                  "--device",
                  "D",
                  "--officer",
                  "O"));
      args.addAll(List.of(extra));
      Run r = run(args.toArray(String[]::new));
      assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(Files.exists(store), String.join(" ", extra) + " left a store behind");
    }
  }

  /** A folder given to probe is named once, with what was expected. */
  @Test
  void probeOfAFolderNamesItOnce() {
    Run r = run("probe", dir.toString());
    assertOneLineError(r, "file is a directory, not a file: " + dir);
    assertEquals("evidence: file is a directory, not a file: " + dir, r.err().strip());
  }

  /** An empty file is sealed (it is what the camera gave), with a word on stderr, not silently. */
  @Test
  void anEmptyFileIsSealedWithAWarning() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    for (String[] args :
        List.of(
            new String[] {"seal", empty.toString()},
            new String[] {"seal", empty.toString(), "--json", "--force"})) {
      Run r = run(args);
      assertEquals(0, r.code(), r.err());
      assertTrue(
          r.err().contains("warning: EMPTY_RECORDING: " + empty + " is empty (0 bytes)"), r.err());
      assertTrue(Files.exists(dir.resolve("empty.mp4.seal.json")));
    }
  }

  @Test
  void unknownCommandsAndOptionsAreOneLineExitTwo() {
    assertOneLineError(run("frobnicate"), "frobnicate");
    assertOneLineError(run("seal", "--no-such-option", "x"), "--no-such-option");
    assertOneLineError(run("seal"), "FILE");
    // what was given and what was expected, not the parser's argument indexes
    Run unknown = run("frobnicate");
    assertOneLineError(unknown, "unknown command 'frobnicate'");
    assertFalse(unknown.err().contains("index"), unknown.err());
    Run extra = run("seal", "a.mp4", "b.mp4", "c.mp4");
    assertOneLineError(
        extra, "unexpected argument(s) 'b.mp4', 'c.mp4': 'evidence seal' takes FILE");
    assertFalse(extra.err().contains("index"), extra.err());
    assertOneLineError(
        run("ledger", "show", "store"), "unknown command 'show' for 'evidence ledger'");
  }

  /**
   * A date where an instant belongs, a new user's first guess at {@code --at}, is one line in the
   * user's terms, not picocli's "cannot convert ... to class java.time.Instant
   * (java.time.format.DateTimeParseException ...)" (session 15, R-15, R-16).
   */
  @Test
  void anInstantOptionThatIsNoInstantSaysWhatItWants() throws IOException {
    Path facts = dir.resolve("facts.json");
    Files.writeString(
        facts,
        "{\"format\": \"evidencekit.retention-facts/1\", \"cases\": [], \"recordings\": []}");
    Path f = recording(100);
    Run[] runs = {
      run("retention", "plan", "--facts", facts.toString(), "--at", "2026-07-01"),
      run(
          "seal",
          f.toString(),
          "--recording-start",
          "2026-07-01 08:00",
          "-o",
          dir.resolve("x.seal.json").toString()),
      run("analyze", f.toString(), "--ingested", "yesterday"),
      run(
          "report",
          "--store",
          dir.toString(),
          "-o",
          dir.resolve("r.html").toString(),
          "--from",
          "2026-07-01")
    };
    String[] given = {"'2026-07-01'", "'2026-07-01 08:00'", "'yesterday'", "'2026-07-01'"};
    String[] option = {"--at", "--recording-start", "--ingested", "--from"};
    for (int i = 0; i < runs.length; i++) {
      assertOneLineError(
          runs[i],
          "Invalid value for option '"
              + option[i]
              + "': "
              + given[i]
              + " is not an ISO-8601 instant with its zone, like 2026-07-01T00:00:00Z");
      assertFalse(runs[i].err().contains("java."), runs[i].err());
    }
    // what the docs show still goes through, with Z or an offset
    Run z = run("retention", "plan", "--facts", facts.toString(), "--at", "2026-07-01T00:00:00Z");
    assertEquals(0, z.code(), z.err());
    assertTrue(z.out().contains("retention plan at 2026-07-01T00:00:00Z"), z.out());
    Run offset =
        run("retention", "plan", "--facts", facts.toString(), "--at", "2026-07-01T08:00:00+08:00");
    assertEquals(0, offset.code(), offset.err());
    assertTrue(offset.out().contains("retention plan at 2026-07-01T00:00:00Z"), offset.out());
    assertFalse(Files.exists(dir.resolve("x.seal.json")));
    assertFalse(Files.exists(dir.resolve("r.html")));
  }

  /**
   * {@code seal --clock-offset-ms} takes the one-year bound of {@code ingest} and {@code analyze}:
   * before, an offset past 2^53 ms was hashed and then failed as "integer outside the JCS exact
   * range", and a dozen digits too many were signed into the seal (session 15, R-08).
   */
  @Test
  void sealRefusesAClockOffsetOfMoreThanAYear() throws IOException {
    Path f = recording(1000);
    Path out = dir.resolve("typo.seal.json");
    for (String typo : new String[] {"9223372036854775807", "-9000000000000000"}) {
      Run r = run("seal", f.toString(), "--clock-offset-ms", typo, "-o", out.toString());
      assertOneLineError(
          r, "evidence: --clock-offset-ms: a clock offset of " + typo + " ms is more than a year");
      assertFalse(Files.exists(out), typo);
    }
    Run ok = run("seal", f.toString(), "--clock-offset-ms", "-4012", "-o", out.toString());
    assertEquals(0, ok.code(), ok.err());
    assertEquals(
        Long.valueOf(-4012),
        Seal.read(out).metadata().orElseThrow().clockOffsetMillis().orElseThrow());
  }

  @Test
  void sealThenVerifyWithJson() throws IOException {
    Path f = recording(3 * 65536 + 5);
    Run s = run("seal", f.toString(), "--json", "--suite", "sha256+sm3", "--segment-size", "64KiB");
    assertEquals(0, s.code(), s.err());
    JsonNode j = json(s.out());
    assertEquals(3 * 65536 + 5, j.get("length").asLong());
    assertEquals(65536, j.get("segmentSize").asInt());
    assertEquals(4, j.get("segments").asInt());
    assertEquals(64, j.get("roots").get("sha256").asText().length());
    assertEquals(64, j.get("roots").get("sm3").asText().length());
    assertTrue(Files.exists(dir.resolve(f.getFileName() + ".seal.json")));

    Run v = run("verify", f.toString(), "--json");
    assertEquals(0, v.code(), v.err());
    JsonNode vj = json(v.out());
    assertEquals("INTACT", vj.get("verdict").asText());
    assertEquals(0, vj.get("tamperedRanges").size());
    assertEquals(0, vj.get("findings").size());

    // -q keeps standard output empty, JSON asked for or not (docs/cli.md); the exit code tells
    Run q = run("verify", f.toString(), "--json", "-q");
    assertEquals(0, q.code(), q.err());
    assertEquals("", q.out());
    q = run("seal", f.toString(), "--json", "-q", "--force");
    assertEquals(0, q.code(), q.err());
    assertEquals("", q.out());
    assertTrue(Files.exists(dir.resolve(f.getFileName() + ".seal.json")));
  }

  @Test
  void aFlippedByteIsTamperedExitOneWithItsRange() throws IOException {
    Path f = recording(5 * 65536);
    assertEquals(0, run("seal", f.toString(), "--segment-size", "65536", "-q").code());
    byte[] b = Files.readAllBytes(f);
    b[2 * 65536 + 100] ^= 4;
    Files.write(f, b);
    Run v = run("verify", f.toString(), "--json");
    assertEquals(1, v.code());
    JsonNode vj = json(v.out());
    assertEquals("TAMPERED", vj.get("verdict").asText());
    assertEquals(2 * 65536, vj.get("tamperedRanges").get(0).get("offset").asLong());
    assertEquals(65536, vj.get("tamperedRanges").get(0).get("length").asLong());
    assertEquals("SEGMENT_MODIFIED", vj.get("findings").get(0).get("code").asText());
    Run text = run("verify", f.toString());
    assertTrue(text.out().startsWith("TAMPERED "), text.out());
  }

  @Test
  void aSealForAnotherFileIsTampered() throws IOException {
    Path a = recording(4 * 65536);
    Path b = recording(4 * 65536 + 1);
    Path seal = dir.resolve("a.seal");
    assertEquals(
        0, run("seal", a.toString(), "-o", seal.toString(), "--segment-size", "64k", "-q").code());
    Run v = run("verify", b.toString(), seal.toString());
    assertEquals(1, v.code());
    assertTrue(v.out().contains("SEAL_NOT_FOR_CONTENT"), v.out());
  }

  @Test
  void aDamagedSealIsInconclusiveExitThree() throws IOException {
    Path f = recording(3 * 65536);
    assertEquals(0, run("seal", f.toString(), "--segment-size", "64KiB", "-q").code());
    Path seal = dir.resolve(f.getFileName() + ".seal.json");
    String json = Files.readString(seal);
    String root = json(json).get("roots").get("sha256").asText();
    Files.writeString(seal, json.replace(root, "0".repeat(64)));
    Run v = run("verify", f.toString(), "--json");
    assertEquals(3, v.code());
    assertEquals("INCONCLUSIVE", json(v.out()).get("verdict").asText());
  }

  /**
   * a seal whose checkpoint (of a live upload) is not a prefix of its tree was altered;
   * `verify --range` judged the content against it all the same (INTACT, exit 0), unlike `verify`.
   */
  @Test
  void aRangeAgainstASealWithAForgedCheckpointIsInconclusive() throws IOException {
    Path f = recording(4 * 65536);
    org.evidencekit.seal.Seal seal =
        org.evidencekit.seal.Sealer.builder()
            .segmentSize(65536)
            .checkpointEvery(1, c -> {})
            .build()
            .seal(f);
    String json = new String(seal.toJson(), StandardCharsets.UTF_8);
    String cpRoot = seal.checkpoints().get(0).root(org.evidencekit.hash.HashAlgorithm.SHA256).hex();
    Path forged = dir.resolve("forged.seal.json");
    Files.writeString(forged, json.replace(cpRoot, "0".repeat(64)));
    assertEquals(3, run("verify", f.toString(), forged.toString()).code());
    Run r = run("verify", f.toString(), forged.toString(), "--range", "70000:100");
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("CHECKPOINT_MISMATCH"), r.out());
  }

  /**
   * A seal refused says its path once: "malformed seal X: X is larger than …" named it twice, as
   * the library's refusal already names the file and the command line named it again.
   */
  @Test
  void aRefusedSealIsNamedOnce() throws IOException {
    Path f = recording(1000);
    Path bad = dir.resolve("bad.seal.json");
    Files.writeString(bad, "{\"format\":\"x\"}");
    Run r = run("verify", f.toString(), bad.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "evidence: malformed seal " + bad + ": format is 'x', expected 'evidencekit.seal/1'",
        r.err().strip());
    // past the seal's bound (sparse: refused by its size, unread)
    try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(bad.toFile(), "rw")) {
      big.setLength(Seal.DEFAULT_MAX_DOCUMENT_BYTES + 1);
    }
    r = run("verify", f.toString(), bad.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "evidence: malformed seal "
            + bad
            + " is larger than "
            + Seal.DEFAULT_MAX_DOCUMENT_BYTES
            + " bytes: not a seal",
        r.err().strip());
    Files.writeString(bad, "this is not json");
    r = run("verify", f.toString(), bad.toString());
    assertEquals("evidence: " + bad + " is not a seal (it is text, not JSON)", r.err().strip());
  }

  @Test
  void badInputsAreOneLineErrors() throws IOException {
    assertOneLineError(run("seal", dir.resolve("missing.mp4").toString()), "not found");
    assertOneLineError(run("seal", dir.toString()), "directory");
    assertOneLineError(run("verify", dir.resolve("missing.mp4").toString()), "not found");
    Path f = recording(1000);
    assertOneLineError(run("verify", f.toString()), "seal not found");
    Path bad = dir.resolve("bad.seal.json");
    Files.writeString(bad, "{\"format\":\"evidencekit.seal/1\",");
    assertOneLineError(run("verify", f.toString(), bad.toString()), "malformed seal");
    Files.writeString(bad, "this is not json");
    assertOneLineError(
        run("verify", f.toString(), bad.toString()), bad + " is not a seal (it is text, not JSON)");
    Files.write(bad, new byte[0]);
    assertOneLineError(
        run("verify", f.toString(), bad.toString()), bad + " is not a seal (it is empty)");
    assertOneLineError(run("seal", f.toString(), "--suite", "md5"), "unknown suite");
    assertOneLineError(run("seal", f.toString(), "--segment-size", "1000"), "power of two");
    assertOneLineError(run("seal", f.toString(), "--segment-size", "lots"), "invalid size");
    // the seal of f with its '/' written as the overlong UTF-8 form C0 AF was read as the
    // seal itself (INTACT, exit 0)
    assertEquals(0, run("seal", f.toString(), "-q").code());
    byte[] good = Files.readAllBytes(dir.resolve(f.getFileName() + ".seal.json"));
    assertEquals(0, run("verify", f.toString()).code());
    String latin = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(
        bad,
        latin
            .replace("evidencekit.seal/1", "evidencekit.seal\u00c0\u00af1")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertOneLineError(run("verify", f.toString(), bad.toString()), "overlong UTF-8");
  }

  /** The start of an MP4 file: a box of type ftyp, then media. */
  private Path mp4(String name) throws IOException {
    byte[] b = new byte[4096];
    new Random(7).nextBytes(b);
    byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    System.arraycopy(head, 0, b, 0, head.length);
    return Files.write(dir.resolve(name), b);
  }

  /**
   * A wrong file names itself, what it looks like and what was expected, never a parser's words.
   */
  @Test
  void aWrongFileIsNamedForWhatItIs() throws IOException {
    Path rec = mp4("rec.mp4");
    Path other = mp4("other.mp4");
    Path seal = dir.resolve("rec.mp4.seal.json");
    assertEquals(0, run("seal", rec.toString(), "-q").code());

    Run r = run("verify", rec.toString(), other.toString());
    assertOneLineError(r, other + " is not a seal (it looks like an MP4 file)");
    assertFalse(r.err().contains("UTF-32"), r.err());

    r = run("verify", seal.toString(), rec.toString());
    assertOneLineError(r, seal + " is a seal, not a recording: give the recording first");
    assertOneLineError(r, rec + " is not a seal (it looks like an MP4 file)");
    assertFalse(r.err().contains("Unrecognized token"), r.err());
    assertOneLineError(run("verify", seal.toString()), seal + " is a seal, not a recording");

    // keys: an MP4, a damaged PEM, a public key where the private one belongs, junk as PKCS#12
    assertOneLineError(
        run("seal", rec.toString(), "--key", other.toString(), "--force"),
        other + " is not a PEM file (it looks like an MP4 file)");
    Path damaged =
        Files.writeString(
            dir.resolve("damaged.pem"),
            "-----BEGIN PRIVATE KEY-----\nAQEB\n-----END PRIVATE KEY-----\n");
    r = run("seal", rec.toString(), "--key", damaged.toString(), "--force");
    assertOneLineError(r, damaged + ": its PRIVATE KEY block is not a readable PKCS#8 private key");
    assertFalse(r.err().contains("BOOLEAN"), r.err());
    assertEquals(0, run("keygen", "-o", dir.resolve("k.pem").toString()).code());
    Path pub = dir.resolve("k.pub.pem");
    assertOneLineError(
        run("seal", rec.toString(), "--key", pub.toString(), "--force"),
        pub + " holds PUBLIC KEY, not a private key: expected -----BEGIN PRIVATE KEY-----");
    assertOneLineError(
        run("verify", rec.toString(), "--trust", other.toString()),
        other + " is not a PEM file (it looks like an MP4 file)");
  }

  @Test
  void anExistingSealIsNotReplacedWithoutForce() throws IOException {
    Path f = recording(100);
    assertEquals(0, run("seal", f.toString(), "-q").code());
    assertOneLineError(run("seal", f.toString()), "--force");
    assertEquals(0, run("seal", f.toString(), "-q", "--force").code());
  }

  @Test
  void aRangeIsVerifiedAndProvenAlone() throws IOException {
    Path f = recording(6 * 65536);
    assertEquals(0, run("seal", f.toString(), "--segment-size", "64KiB", "-q").code());
    byte[] b = Files.readAllBytes(f);
    b[5 * 65536] ^= 1;
    Files.write(f, b);
    Run ok = run("verify", f.toString(), "--range", "65536:100", "--json");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    Run bad = run("verify", f.toString(), "--range", "327680-327700");
    assertEquals(1, bad.code());
    assertOneLineError(run("verify", f.toString(), "--range", "x"), "invalid range");
    assertOneLineError(run("verify", f.toString(), "--range", "0:999999999"), "beyond");
    Path proof = dir.resolve("p.json");
    Run p =
        run(
            "prove",
            dir.resolve(f.getFileName() + ".seal.json").toString(),
            "--range",
            "0:10",
            "-o",
            proof.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(
        new String(Files.readAllBytes(proof), StandardCharsets.UTF_8)
            .contains("evidencekit.range-proof/1"));
  }

  @Test
  void theDemoRunsAndDetectsEveryManipulation() {
    Run d = run("demo", "--dir", dir.resolve("demo").toString());
    assertEquals(0, d.code(), d.err());
    assertTrue(d.out().contains("detected 9 of 9 problems"), d.out());
    assertTrue(d.out().contains("[39845888, 40894464)"), d.out());
    assertTrue(d.out().contains("CONTENT_TRUNCATED"), d.out());
    assertTrue(d.out().contains("SIGNATURE_INVALID"), d.out());
    assertTrue(d.out().contains("MISSING_FILE"), d.out());
    assertTrue(d.out().contains("LATE_INGEST"), d.out());
    assertTrue(d.out().contains("EARLY_STOP"), d.out());
    assertTrue(d.out().contains("TIMESTAMP_GAP track 1 (vide): sample 74 at 2.960 s"), d.out());
    assertTrue(d.out().contains("RETAINED   retention ends 2034-01-16 00:00 Shanghai"), d.out());
    assertTrue(d.out().contains("refused by the store"), d.out());
    assertTrue(d.out().contains("proof bundle verifies offline: VERIFIED"), d.out());
    assertTrue(d.out().contains("DAMAGED DEVCAM7/2023-06-01/DEVCAM7_20230601_141006_003"), d.out());
    assertTrue(d.out().contains("the same chain without 002's seal: CHAIN_MISSING"), d.out());
    assertFalse(d.out().contains("SIGNATURE_UNCHECKED"), d.out());
    // a second run reuses its own folder
    assertEquals(0, run("demo", "--dir", dir.resolve("demo").toString()).code());
  }

  /** A marker file planted in a real folder does not make the demo delete it. */
  @Test
  void theDemoNeverDeletesWhatItDidNotWrite() throws IOException {
    Path real = dir.resolve("real-store");
    Files.createDirectories(real.resolve("DEVCAM7"));
    Files.writeString(real.resolve("DEVCAM7/held.mp4"), "evidence");
    Files.writeString(real.resolve(".evidence-demo"), "");
    Run r = run("demo", "--dir", real.toString());
    assertOneLineError(r, "not made by the demo");
    assertTrue(r.err().contains("Nothing was deleted"), r.err());
    assertEquals("evidence", Files.readString(real.resolve("DEVCAM7/held.mp4")));
    // a demo folder with one foreign file added after the run is refused the same way
    Path demo = dir.resolve("demo2");
    assertEquals(0, run("demo", "--dir", demo.toString()).code());
    Files.writeString(demo.resolve("store/notes.txt"), "mine");
    assertOneLineError(run("demo", "--dir", demo.toString()), "not made by the demo");
    assertEquals("mine", Files.readString(demo.resolve("store/notes.txt")));
  }

  @Test
  void theDemoRefusesAForeignFolder() throws IOException {
    Path foreign = dir.resolve("mine");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("thesis.txt"), "keep me");
    assertOneLineError(run("demo", "--dir", foreign.toString()), "not made by the demo");
    assertTrue(Files.exists(foreign.resolve("thesis.txt")));
  }

  @Test
  void keygenSealSignedAndVerifyWithTrust() throws IOException {
    Path f = recording(3 * 65536);
    for (String suite : new String[] {"ed25519", "p256", "sm2"}) {
      Path key = dir.resolve(suite + ".pem");
      Run k = run("keygen", "--suite", suite, "-o", key.toString());
      assertEquals(0, k.code(), k.err());
      Path pub = dir.resolve(suite + ".pub.pem");
      assertTrue(k.out().contains("\nprivate key: " + key + " "), k.out());
      assertTrue(k.out().contains("\npublic key:  " + pub + " "), k.out());
      assertEquals(
          "rw-------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(key)));
      assertEquals(
          "rw-r--r--",
          java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)),
          "a public key is meant to be handed out");
      Run s =
          run(
              "seal",
              f.toString(),
              "--key",
              key.toString(),
              "--device",
              "DEVCAM7",
              "--officer",
              "police-0042",
              "--case",
              "ZZ-1",
              "--case",
              "ZZ-2",
              "--json",
              "--force");
      assertEquals(0, s.code(), s.err());
      assertEquals(json(s.out()).get("signature").asText().isEmpty(), false);
      JsonNode stored = json(Files.readString(dir.resolve(f.getFileName() + ".seal.json")));
      assertEquals("DEVCAM7", stored.get("metadata").get("deviceId").asText());
      assertEquals(2, stored.get("metadata").get("caseIds").size());

      Run v = run("verify", f.toString(), "--trust", pub.toString(), "--json");
      assertEquals(0, v.code(), v.out() + v.err());
      assertTrue(v.out().contains("SIGNATURE_VERIFIED"), v.out());
      Run unchecked = run("verify", f.toString());
      assertEquals(0, unchecked.code());
      assertTrue(unchecked.out().contains("SIGNATURE_UNCHECKED"), unchecked.out());
    }
    Path other = dir.resolve("other.pem");
    assertEquals(0, run("keygen", "-o", other.toString()).code());
    Run untrusted = run("verify", f.toString(), "--trust", dir.resolve("other.pub.pem").toString());
    assertEquals(3, untrusted.code(), untrusted.out());
    assertTrue(untrusted.out().contains("SIGNER_UNTRUSTED"), untrusted.out());
  }

  @Test
  void trustLayerBadInputsAreOneLineErrors() throws IOException {
    Path f = recording(1000);
    assertOneLineError(
        run("keygen", "--suite", "rsa", "-o", dir.resolve("k.pem").toString()), "unknown suite");
    assertOneLineError(
        run("seal", f.toString(), "--key", dir.resolve("none.pem").toString()), "not found");
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "hello");
    assertOneLineError(run("seal", f.toString(), "--key", junk.toString()), "PEM");
    assertOneLineError(run("seal", f.toString(), "--tsa", "http://127.0.0.1:9/"), "--key");
    assertEquals(0, run("seal", f.toString(), "-q").code());
    assertOneLineError(run("verify", f.toString(), "--trust", junk.toString()), "PEM");
    assertOneLineError(
        run("seal", f.toString(), "--recording-start", "yesterday", "--force"), "yesterday");
  }

  static final String POLICY =
      Path.of("..", "docs", "examples", "retention-policy.json").toString();
  static final String FACTS = Path.of("..", "docs", "examples", "retention-facts.json").toString();

  @Test
  void retentionPlanExplainsEveryRecording() throws IOException {
    Run text =
        run(
            "retention",
            "plan",
            "--policy",
            POLICY,
            "--facts",
            FACTS,
            "--at",
            "2026-07-01T00:00:00Z");
    assertEquals(0, text.code(), text.err());
    assertTrue(
        text.out().contains("DEVCAM7-0001             DISPOSABLE  2026-06-02 00:00"), text.out());
    assertTrue(
        text.out().contains("DEVCAM7-0002             RETAINED    2029-06-02 00:00"), text.out());
    assertTrue(text.out().contains("DEVCAM9-0001             OPEN"), text.out());
    assertTrue(text.out().contains("REC2-0001                HELD"), text.out());
    assertTrue(text.out().contains("1 of 5 disposable"), text.out());

    Run json =
        run(
            "retention",
            "plan",
            "--policy",
            POLICY,
            "--facts",
            FACTS,
            "--at",
            "2026-07-01T00:00:00Z",
            "--json");
    JsonNode j = json(json.out());
    assertEquals(5, j.get("decisions").size());
    assertEquals("2035-03-01T16:00:00Z", j.get("decisions").get(2).get("retainUntil").asText());

    Run csv = run("retention", "plan", "--facts", FACTS, "--at", "2026-07-01T00:00:00Z", "--csv");
    assertTrue(csv.out().startsWith("recording,status,retain_until,policy,reasons"), csv.out());
    assertTrue(csv.out().contains("regulation-default v1"), csv.out());

    Run explain =
        run(
            "retention",
            "explain",
            "--policy",
            POLICY,
            "--facts",
            FACTS,
            "--recording",
            "DEVCAM7-0003",
            "--at",
            "2026-07-01T00:00:00Z");
    assertEquals(0, explain.code(), explain.err());
    assertTrue(
        explain.out().contains("art19-case-file: case ZZ-2024-0007 archived"), explain.out());
  }

  @Test
  void retentionBadInputsAreOneLineErrors() throws IOException {
    assertOneLineError(
        run("retention", "plan", "--facts", dir.resolve("none.json").toString()), "not found");
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad, "{\"format\":\"evidencekit.retention-facts/1\",\"recordings\":[{\"id\":\"x\"}]}");
    // a bad row is reported, the rest (here: nothing) is planned, and the exit code says so
    Run badRow = run("retention", "plan", "--facts", bad.toString());
    assertEquals(1, badRow.code(), badRow.err());
    assertTrue(badRow.err().contains("recording row 1 (x)"), badRow.err());
    assertTrue(badRow.err().contains("recordingEnd"), badRow.err());
    assertOneLineError(
        run("retention", "explain", "--facts", FACTS, "--recording", "nope"),
        "no recording 'nope'");
    assertOneLineError(run("retention", "plan", "--facts", FACTS, "--at", "soon"), "soon");
    assertOneLineError(run("retention", "plan", "--facts", FACTS, "--json", "--csv"), "--csv");
  }

  @Test
  void probeReadsTheIndexAndReportsJson() throws IOException {
    Path mp4 = dir.resolve("DEVCAM7_20230601_141000_001.mp4");
    try (var in = getClass().getResourceAsStream("demo/DEVCAM7_20230601_141000_001.mp4")) {
      Files.copy(in, mp4);
    }
    Run r = run("probe", mp4.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode f = json(r.out()).get("files").get(0);
    assertEquals("MP4", f.get("container").asText());
    assertEquals("2023-06-01T14:10:00Z", f.get("creationTime").asText());
    assertEquals(3.0, f.get("durationSeconds").asDouble(), 0.001);
    assertEquals("vide", f.get("tracks").get(0).get("handler").asText());
    assertEquals("avc1", f.get("tracks").get(0).get("codec").asText());
    assertEquals(75, f.get("tracks").get(0).get("samples").asInt());
    assertEquals("EDIT_LIST", f.get("findings").get(0).get("code").asText());
    Run text = run("probe", mp4.toString());
    assertTrue(text.out().contains("track 1 vide/avc1: 75 samples (3 sync)"), text.out());
  }

  @Test
  void probeRefusesWhatIsNotAMediaFile() throws IOException {
    Path junk = dir.resolve("junk.mp4");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    assertOneLineError(run("probe", junk.toString()), "not a media file this library reads");
    assertOneLineError(run("probe", dir.resolve("none.mp4").toString()), "not found");
  }

  private Path fixture(String rel) throws IOException {
    Path p = dir.resolve(Path.of(rel).getFileName().toString());
    try (var in = getClass().getResourceAsStream("/fixtures/" + rel)) {
      Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  @Test
  void analyzeChainsSplitFilesFindsTheMissingMiddleAndTheHole() throws IOException {
    Run split =
        run(
            "analyze",
            fixture("f02_split3/DEVCAM7_20230601_141006_003.mp4").toString(),
            fixture("f02_split3/DEVCAM7_20230601_141000_001.mp4").toString(),
            fixture("f02_split3/DEVCAM7_20230601_141003_002.mp4").toString(),
            "--json");
    assertEquals(0, split.code(), split.out() + split.err());
    JsonNode s = json(split.out());
    assertEquals(3, s.get("sessions").get(0).get("files").size());
    assertEquals(
        "DEVCAM7_20230601_141000_001.mp4", s.get("sessions").get(0).get("files").get(0).asText());
    for (JsonNode b : s.get("sessions").get(0).get("breaks")) {
      assertEquals("CONTIGUOUS", b.get("kind").asText());
    }
    assertEquals(0, s.get("findings").size());

    Run missing =
        run(
            "analyze",
            fixture("f03_split3_missing_middle/DEVCAM7_20230601_142000_001.mp4").toString(),
            fixture("f03_split3_missing_middle/DEVCAM7_20230601_142006_003.mp4").toString(),
            "--json");
    assertEquals(1, missing.code());
    JsonNode m = json(missing.out());
    JsonNode brk = m.get("sessions").get(0).get("breaks").get(0);
    assertEquals("MISSING_FILE", brk.get("kind").asText());
    assertEquals(3.0, brk.get("seconds").asDouble(), 0.01);
    assertEquals(2, brk.get("missingSequences").get(0).asInt());
    assertEquals(1, brk.get("missingCount").asInt(), "one file (002) is missing");
    JsonNode f = m.get("findings").get(0);
    assertEquals("MISSING_FILE", f.get("code").asText());
    assertEquals("error", f.get("severity").asText());
    assertEquals("Art. 21(2)", f.get("article").asText());
    assertEquals("2023-06-01T14:20:03Z", f.get("start").asText());
    assertEquals("2023-06-01T14:20:06Z", f.get("end").asText());
    assertEquals(2, f.get("files").size());

    Path cut = fixture("f04_cut_with_hole/DEVCAM7_20230601_143000_001.mp4");
    Path actions = dir.resolve("actions.json");
    Files.writeString(
        actions,
        "{\"format\":\"evidencekit.actions/1\",\"actions\":[{\"id\":\"A1\",\"type\":\"on-site-inspection\","
            + "\"start\":\"2023-06-01T14:30:00Z\",\"end\":\"2023-06-01T14:30:10Z\",\"devices\":[\"DEVCAM7\"]}]}");
    Path docs = dir.resolve("docs.json");
    Files.writeString(
        docs,
        "{\"format\":\"evidencekit.documents/1\",\"documents\":[{\"id\":\"D1\",\"kind\":\"inspection record\","
            + "\"start\":\"2023-06-01T14:30:00Z\",\"end\":\"2023-06-01T14:45:00Z\","
            + "\"recordings\":[\"DEVCAM7_20230601_143000_001.mp4\"]}]}");
    Run hole =
        run(
            "analyze",
            cut.toString(),
            "--actions",
            actions.toString(),
            "--documents",
            docs.toString(),
            "--json");
    assertEquals(1, hole.code(), hole.out() + hole.err());
    JsonNode h = json(hole.out());
    List<String> codes = new java.util.ArrayList<>();
    h.get("findings").forEach(x -> codes.add(x.get("code").asText()));
    assertTrue(codes.contains("INTERNAL_GAP"), codes.toString());
    // one finding per fact: the cut is not reported again as a break in the action
    assertFalse(codes.contains("BREAK_IN_ACTION"), codes.toString());
    assertTrue(codes.contains("EARLY_STOP"), codes.toString());
    assertTrue(codes.contains("DOCUMENT_TIME_MISMATCH"), codes.toString());
    JsonNode cov = h.get("coverage").get(0);
    assertEquals(0.6, cov.get("coverage").asDouble(), 0.001);
    for (JsonNode x : h.get("findings")) {
      if (x.get("code").asText().equals("INTERNAL_GAP")) {
        assertEquals("2023-06-01T14:30:03Z", x.get("start").asText());
        assertEquals("2023-06-01T14:30:05Z", x.get("end").asText());
        assertEquals("error", x.get("severity").asText());
      }
    }
  }

  @Test
  void analyzeBadInputsAreOneLineErrors() throws IOException {
    Path f = fixture("f02_split3/DEVCAM7_20230601_141000_001.mp4");
    Path bad = dir.resolve("a.json");
    Files.writeString(bad, "{\"format\":\"something-else\"}");
    assertOneLineError(run("analyze", f.toString(), "--actions", bad.toString()), "format must be");
    Files.writeString(
        bad,
        "{\"format\":\"evidencekit.actions/1\",\"actions\":[{\"id\":\"A\",\"type\":\"hearing\",\"start\":\"then\",\"end\":\"2023-06-01T14:30:10Z\"}]}");
    assertOneLineError(
        run("analyze", f.toString(), "--actions", bad.toString()), "not an ISO-8601");
    // Art. 21(2): an unreadable recording is a finding and the others are still analysed
    Path junk = dir.resolve("junk.mp4");
    Files.write(junk, new byte[100]);
    Run r = run("analyze", junk.toString(), f.toString(), "--json");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("junk.mp4"), r.err());
    JsonNode j = json(r.out());
    assertEquals("RECORDING_MISSING", j.get("findings").get(0).get("code").asText());
    assertEquals("junk.mp4", j.get("findings").get(0).get("files").get(0).asText());
    assertEquals(1, j.get("sessions").get(0).get("files").size());
  }
}
