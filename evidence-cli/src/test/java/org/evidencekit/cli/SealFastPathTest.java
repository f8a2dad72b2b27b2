package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
 * The picocli-free path of {@code evidence seal} behaves exactly as the picocli one: same exit
 * code, same output (timings aside), same seal; and it steps aside for everything it does not
 * handle.
 */
class SealFastPathTest {
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
    Integer code = SealFastPath.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
    assertNotNull(code, "the fast path should take " + List.of(args));
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
    assertNull(SealFastPath.parse(new String[] {"seal"}));
    assertNull(SealFastPath.parse(new String[] {"seal", "--help"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "--device", "D"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "--suite=sm3"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "--suite"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "--suite", "sm3", "--suite", "sm3"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "-o", "--json"}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, f}));
    assertNull(SealFastPath.parse(new String[] {"seal", "--", f}));
    assertNull(SealFastPath.parse(new String[] {"verify", f}));
    assertNull(SealFastPath.parse(new String[] {"seal", f, "--key", "k.pem"}));
    assertNotNull(SealFastPath.parse(new String[] {"seal", f, "-o", "x.json", "--json"}));
  }
}
