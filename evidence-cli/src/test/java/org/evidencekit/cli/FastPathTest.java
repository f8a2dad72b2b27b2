package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.evidencekit.seal.Seal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picocli-free path of {@code evidence seal} and {@code evidence verify} behaves exactly as the
 * picocli one: same exit code, same output (timings aside), same seal; and it steps aside for
 * everything it does not handle.
 */
class FastPathTest {
  @TempDir Path dir;
  Path file;

  @BeforeEach
  void file() throws IOException {
    byte[] b = new byte[200_000];
    new Random(7).nextBytes(b);
    file = Files.write(dir.resolve("rec.mp4"), b);
  }

  record Out(int code, String out, String err) {}

  private static Out viaPicocli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = EvidenceCommand.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
    return new Out(code, o.toString(), e.toString());
  }

  private static Out viaFastPath(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    Integer code = FastPath.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
    assertNotNull(code, "the fast path should take " + List.of(args));
    return new Out(code, o.toString(), e.toString());
  }

  /** As {@link EvidenceCommand#main} dispatches: the fast path, or picocli when it steps aside. */
  private static Out viaMain(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    PrintWriter out = new PrintWriter(o, true);
    PrintWriter err = new PrintWriter(e, true);
    Integer code = FastPath.run(args, out, err);
    if (code == null) {
      code = EvidenceCommand.execute(args, out, err);
    }
    return new Out(code, o.toString(), e.toString());
  }

  /** Output with the run time blanked. */
  private static String stable(String s) {
    return s.replaceAll("\\d+\\.\\d\\d s", "T s");
  }

  private void same(String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of(args));
    Path sealA = dir.resolve("a.seal.json");
    Path sealB = dir.resolve("b.seal.json");
    Files.deleteIfExists(sealA);
    Files.deleteIfExists(sealB);
    List<String> pa = new ArrayList<>(a);
    pa.addAll(List.of("-o", sealA.toString()));
    List<String> pb = new ArrayList<>(a);
    pb.addAll(List.of("-o", sealB.toString()));
    Out p = viaPicocli(pa.toArray(String[]::new));
    Out f = viaFastPath(pb.toArray(String[]::new));
    assertEquals(p.code(), f.code(), a.toString());
    assertEquals(
        stable(p.out()).replace(sealA.toString(), "SEAL"),
        stable(f.out()).replace(sealB.toString(), "SEAL"),
        a.toString());
    assertEquals(p.err(), f.err(), a.toString());
    if (p.code() == 0) {
      Seal x = Seal.read(sealA);
      Seal y = Seal.read(sealB);
      assertEquals(x.roots(), y.roots());
      assertEquals(x.length(), y.length());
      assertEquals(x.segmentSize(), y.segmentSize());
      assertEquals(x.suite(), y.suite());
    }
  }

  @Test
  void theCommonFormsGiveTheSameResult() throws IOException {
    same("seal", file.toString());
    same("seal", file.toString(), "--suite", "sha256+sm3", "--segment-size", "64KiB");
    same("seal", "--json", file.toString(), "--suite", "sm3");
    same("seal", file.toString(), "-q", "--force");
    same("seal", file.toString(), "--quiet", "--segment-size", "3KiB"); // a usage error
    same("seal", file.toString(), "--suite", "md5"); // a usage error
    same("seal", dir.resolve("missing.mp4").toString()); // a usage error
    same("seal", dir.toString()); // a folder
  }

  @Test
  void anExistingSealIsRefusedTheSameWay() throws IOException {
    Path seal = Files.writeString(dir.resolve("taken.seal.json"), "{}");
    Out p = viaPicocli("seal", file.toString(), "-o", seal.toString());
    Out f = viaFastPath("seal", file.toString(), "-o", seal.toString());
    assertEquals(2, p.code());
    assertEquals(p, f);
    assertEquals("{}", Files.readString(seal));
  }

  @Test
  void everythingElseGoesThroughPicocli() {
    String f = file.toString();
    assertNull(parse("seal"));
    assertNull(parse("seal", "--help"));
    assertNull(parse("seal", f, "--device", "D"));
    assertNull(parse("seal", f, "--suite=sm3"));
    assertNull(parse("seal", f, "--suite"));
    assertNull(parse("seal", f, "--suite", "sm3", "--suite", "sm3"));
    assertNull(parse("seal", f, "-o", "--json"));
    assertNull(parse("seal", f, f));
    assertNull(parse("seal", "--", f));
    assertNull(parse("seal", f, "--key", "k.pem"));
    assertNull(parse("seal", f, "--force", "--force"));
    assertNotNull(parse("seal", f, "-o", "x.json", "--json"));
  }

  private static Object parse(String... args) {
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    return FastPath.parse(args, sink, sink);
  }

  private static Out both(String... args) {
    Out p = viaPicocli(args);
    Out f = viaFastPath(args);
    assertEquals(p.code(), f.code(), List.of(args).toString());
    assertEquals(stable(p.out()), stable(f.out()), List.of(args).toString());
    assertEquals(p.err(), f.err(), List.of(args).toString());
    return f;
  }

  @Test
  void verifyGivesTheSameVerdictsOutputAndCodes() throws IOException {
    String f = file.toString();
    Path seal = dir.resolve("rec.mp4.seal.json");
    assertEquals(0, viaPicocli("seal", f, "-q", "--segment-size", "64KiB").code());
    assertEquals(0, both("verify", f).code());
    assertEquals(0, both("verify", f, seal.toString(), "--json").code());
    assertEquals(0, both("verify", "-q", f).code());
    assertEquals(0, both("verify", f, "--range", "70000:4096", "--json").code());
    assertEquals(2, both("verify", f, "--range", "9999999:1").code()); // beyond the seal
    assertEquals(2, both("verify", f, dir.resolve("none.json").toString()).code());
    assertEquals(2, both("verify", dir.resolve("missing.mp4").toString()).code());
    Files.writeString(dir.resolve("bad.json"), "{\"format\":");
    assertEquals(2, both("verify", f, dir.resolve("bad.json").toString()).code());
    byte[] b = Files.readAllBytes(file);
    b[150_000] ^= 1;
    Files.write(file, b);
    Out tampered = both("verify", f, "--json");
    assertEquals(1, tampered.code());
    assertTrue(tampered.out().matches("(?s).*\"offset\" ?: ?131072,.*"), tampered.out());
    Files.write(file, java.util.Arrays.copyOf(b, 100_000));
    assertEquals(1, both("verify", f).code()); // truncated
  }

  @Test
  void verifyStepsAsideForTrustAndEverythingElse() {
    String f = file.toString();
    assertNull(parse("verify", f, "--trust", "k.pem"));
    assertNull(parse("verify", f, "--tsa-trust", "tsa.pem"));
    assertNull(parse("verify", f, "s.json", "extra"));
    assertNull(parse("verify", f, "--range"));
    assertNull(parse("verify", f, "--range=0:1"));
    assertNull(parse("verify", f, "--json", "--json"));
    assertNull(parse("verify", "--help"));
    assertNull(parse("verify"));
    assertNull(parse("verify", f, "-o", "x"));
    assertNotNull(parse("verify", f, "s.json", "--range", "0:1", "--json", "-q"));
  }

  private Path split3() throws IOException {
    Path in = Files.createDirectories(dir.resolve("card"));
    for (String n :
        List.of(
            "DEVCAM7_20230601_141000_001.mp4",
            "DEVCAM7_20230601_141003_002.mp4",
            "DEVCAM7_20230601_141006_003.mp4")) {
      try (var s = getClass().getResourceAsStream("/fixtures/f02_split3/" + n)) {
        Files.copy(s, in.resolve(n));
      }
    }
    return in;
  }

  /** Runs an ingest both ways, each into a store of its own; the stores' keys must match. */
  private Out ingestBoth(String... args) throws IOException {
    return ingestBoth(true, args);
  }

  /**
   * As {@link #ingestBoth(String...)}; with {@code fast} false the second run is dispatched as main
   * does (the fast path, or picocli where it steps aside).
   */
  private Out ingestBoth(boolean fast, String... args) throws IOException {
    Path a = dir.resolve("store-a-" + args.length + "-" + Math.abs(List.of(args).hashCode()));
    Path b = dir.resolve("store-b-" + args.length + "-" + Math.abs(List.of(args).hashCode()));
    String[] pa = withStore(args, a);
    String[] pb = withStore(args, b);
    Out p = viaPicocli(pa);
    Out f = fast ? viaFastPath(pb) : viaMain(pb);
    String where = List.of(args).toString();
    assertEquals(p.code(), f.code(), where + "\n" + p + "\n" + f);
    assertEquals(untimed(p.out(), a), untimed(f.out(), b), where);
    assertEquals(untimed(p.err(), a), untimed(f.err(), b), where);
    assertEquals(keys(a), keys(b), where);
    return f;
  }

  /** Output with the store's path, the clock's readings and durations blanked. */
  private static String untimed(String s, Path store) {
    return stable(s)
        .replace(store.toString(), "STORE")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "INSTANT")
        .replaceAll("[\\d.]+ s\\b", "T s")
        .replaceAll("\"sealDigest\" : \"[0-9a-f]{64}\"", "\"sealDigest\" : \"DIGEST\"")
        .replaceAll("\"clockOffsetMillis\" : -?\\d+", "\"clockOffsetMillis\" : MS")
        // a first run on an empty archive logs its first durable recording at once, alone or
        // with those durable by then: where its retention decision falls among the sealed
        // entries depends on timing
        .replaceAll("\"ledgerIndex\" : \\d+", "\"ledgerIndex\" : N");
  }

  private static String[] withStore(String[] args, Path store) {
    List<String> out = new ArrayList<>();
    for (String s : args) {
      out.add(s.replace("STORE", store.toString()));
    }
    return out.toArray(String[]::new);
  }

  private static List<String> keys(Path store) throws IOException {
    if (!Files.isDirectory(store.resolve("objects"))) {
      return List.of();
    }
    try (var s = Files.walk(store.resolve("objects"))) {
      return s.filter(p -> p.toString().endsWith(".o"))
          .map(p -> store.relativize(p).toString())
          // how the run grouped its ledger appends and staged seals depends on timing (a first
          // run on an empty archive logs its first durable recording at once, alone or with
          // those durable by then)
          .filter(
              k ->
                  !k.contains("ledger.d/batches.d")
                      && !k.contains("ledger.d/tiles.d")
                      && !k.contains("ledger.d/seals.d"))
          .sorted()
          .toList();
    }
  }

  @Test
  void ingestGivesTheSameResultOutputAndStore() throws IOException {
    Path in = split3();
    String i = in.toString();
    Out plain =
        ingestBoth("ingest", i, "--store", "STORE", "--device", "DEVCAM7", "--officer", "p-1");
    assertTrue(plain.out().contains("DEVCAM7_20230601_141000_001.mp4"), plain.out());
    Out json =
        ingestBoth(
            "ingest",
            "--json",
            i,
            "--store",
            "STORE",
            "--device",
            "DEVCAM7",
            "--officer",
            "p-1",
            "--case",
            "ZZ-1",
            "--case",
            "ZZ-2",
            "--case-class",
            "30y",
            "--suite",
            "sha256",
            "--actor",
            "desk-3",
            "--device-clock",
            "2023-06-01T16:02:05Z");
    assertTrue(json.out().contains("\"held\" : true"), json.out()); // the cases hold them
    ingestBoth("ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "-q");
    // usage errors, reported the same way and storing nothing
    ingestBoth(
        "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--suite", "md5");
    ingestBoth(
        "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--cert", "c.pem");
    ingestBoth(
        "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--device-clock", "x");
    ingestBoth(
        "ingest",
        dir.resolve("none").toString(),
        "--store",
        "STORE",
        "--device",
        "D",
        "--officer",
        "o");
  }

  /**
   * picocli reads an argument {@code @FILE} as the arguments in FILE (one per line) wherever it
   * stands: a station's list of cards, a case id kept in a file. The fast path leaves such command
   * lines to picocli rather than take "@FILE" for a file name.
   */
  @Test
  void argumentFilesAreExpandedAsPicocliDoes() throws IOException {
    Path in = split3();
    Path inputs = Files.writeString(dir.resolve("inputs.txt"), in + "\n");
    Path cases = Files.writeString(dir.resolve("cases.txt"), "ZZ-7\n");
    Out listed =
        ingestBoth(
            false,
            "ingest",
            "@" + inputs,
            "--store",
            "STORE",
            "--device",
            "DEVCAM7",
            "--officer",
            "p-1");
    assertTrue(listed.out().contains("DEVCAM7_20230601_141006_003.mp4"), listed.toString());
    Out cased =
        ingestBoth(
            false,
            "ingest",
            in.toString(),
            "--store",
            "STORE",
            "--device",
            "DEVCAM7",
            "--officer",
            "p-1",
            "--case",
            "@" + cases,
            "--json");
    assertTrue(cased.out().contains("\"held\" : true"), cased.out()); // the case holds them
    for (String x : new String[] {"seal", "verify"}) {
      assertNull(parse(x, "@" + inputs));
    }
  }

  /** Odd but plain command lines: the same result either way (or picocli takes them). */
  @Test
  void oddIngestCommandLinesGiveTheSameResult() throws IOException {
    Path in = split3();
    String i = in.toString();
    String one = in.resolve("DEVCAM7_20230601_141000_001.mp4").toString();
    // options first, the input last; -q with --json; a case named twice; the file and its folder
    ingestBoth("ingest", "--store", "STORE", "--device", "D", "--officer", "o", "-q", "--json", i);
    ingestBoth(
        "ingest",
        i,
        one,
        "--store",
        "STORE",
        "--device",
        "D",
        "--officer",
        "o",
        "--case",
        "A",
        "--case",
        "A",
        "--case-class",
        "permanent");
    ingestBoth("ingest", i, "--store", "file:STORE", "--device", "\u8bbe\u59077", "--officer", "o");
    ingestBoth("ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--key", "k");
    ingestBoth(
        "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--suite", "SHA256");
    ingestBoth(
        "ingest",
        i,
        "--store",
        "STORE",
        "--device",
        "D",
        "--officer",
        "o",
        "--case-class",
        "5y",
        "--case",
        "A");
    ingestBoth(
        "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--actor", " desk ");
    // left to picocli
    ingestBoth(
        false, "ingest", i, "--store", "STORE", "--device", "D", "--officer", "o", "--case", "");
    ingestBoth(false, "ingest", i, "--store", "STORE", "--device", "", "--officer", "o");
  }

  @Test
  void ingestStepsAsideForEverythingElse() {
    String[] base = {"ingest", "in", "--store", "s", "--device", "D", "--officer", "o"};
    assertNotNull(parse(base));
    assertNotNull(parse(concat(base, "in2", "--case", "A", "--case", "B", "--json", "-q")));
    assertNull(parse("ingest", "in", "--store", "s", "--device", "D")); // --officer missing
    assertNull(parse("ingest", "--store", "s", "--device", "D", "--officer", "o")); // no input
    assertNull(parse(concat(base, "--encrypt", "sm4-gcm", "--kek", "k.hex")));
    assertNull(parse(concat(base, "--tsa", "http://tsa")));
    assertNull(parse(concat(base, "--clock-mark", "m")));
    assertNull(parse(concat(base, "--clock-offset-ms", "5")));
    assertNull(parse(concat(base, "--store", "t"))); // twice
    assertNull(parse(concat(base, "--json", "--json")));
    assertNull(parse(concat(base, "--suite=sm3")));
    assertNull(parse(concat(base, "--case")));
    assertNull(parse(concat(base, "--help")));
    assertNull(parse(concat(base, "--", "-odd-name")));
  }

  private static String[] concat(String[] a, String... b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(String[]::new);
  }
}
