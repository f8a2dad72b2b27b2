package org.evidencekit.internal.hash;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether SM3 can run several segments per core at once, and the compressor that does it.
 *
 * <p>The lanes come from the JDK's Vector API ({@link VectorSm3Lanes}), which on Java 17 is the
 * incubating module {@code jdk.incubator.vector}: it is used only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code evidence} launcher does), the preferred
 * vector holds at least four 32-bit lanes, and the compressor agrees with the scalar {@link Sm3} on
 * a self-test. Otherwise SM3 stays on the scalar code, which is correct everywhere. The system
 * property {@code evidencekit.sm3.lanes=false} turns the lanes off; so does a JIT that cannot
 * compile them ({@link #compilerReason}: {@code -Xint}, {@code -XX:TieredStopAtLevel} below 4, a
 * JVMCI compiler, a JVM other than HotSpot).
 *
 * <p>The probe (loading the Vector API and the self-test, about 60 ms in a fresh JVM) runs on the
 * first call of {@link #available()}, {@link #width()}, {@link #create()} or {@link #warmUp()};
 * {@link #warm()} and {@link #countBlocks} never trigger it.
 */
public final class Sm3Lanes {
  private static final String MODULE = "jdk.incubator.vector";

  /**
   * Lane blocks (one block of every lane) compressed in this JVM after which the JIT has compiled
   * the vector code: measured, one thread reaches full speed after about 6,000.
   */
  static final long WARM_BLOCKS = 32_768;

  private static final LongAdder BLOCKS = new LongAdder();

  private Sm3Lanes() {}

  /** The probe's outcome, made on first use. */
  private static final class Probe {
    static String reason;
    static int lanes = 1;
    static final MethodHandle FACTORY = load();
  }

  /** Counts {@code blocks} lane blocks compressed; see {@link #warm()}. */
  public static void countBlocks(long blocks) {
    BLOCKS.add(blocks);
  }

  /**
   * Whether the lanes have run long enough in this JVM to be compiled. Until then they run in the
   * JIT's slower tiers (a fraction of a second of compiling), which only pays off on larger inputs.
   */
  public static boolean warm() {
    return BLOCKS.sum() >= WARM_BLOCKS;
  }

  /**
   * Runs the lanes on scratch data until {@link #warm()}: for a long-running service that wants the
   * JIT's cost paid before the first recording arrives, and for tests. Does nothing when the lanes
   * are off.
   */
  public static void warmUp() {
    if (!available()) {
      return;
    }
    Sm3LaneCompressor c = create();
    int lanes = c.lanes();
    int blocks = 64;
    ByteBuffer data = ByteBuffer.allocate(lanes * blocks * 64);
    int[] state = new int[8 * lanes];
    int[] offsets = new int[lanes];
    for (int i = 0; i < lanes; i++) {
      offsets[i] = i * blocks * 64;
    }
    while (!warm()) {
      c.compress(state, data, offsets, blocks);
      countBlocks(blocks);
    }
  }

  /** Whether {@link #create()} gives a compressor. */
  public static boolean available() {
    return Probe.FACTORY != null;
  }

  /** The lane count of {@link #create()}, or 1 when there are no lanes. */
  public static int width() {
    return available() ? Probe.lanes : 1;
  }

  /** A new compressor (one per thread); throws if {@link #available()} is false. */
  public static Sm3LaneCompressor create() {
    MethodHandle factory = Probe.FACTORY;
    if (factory == null) {
      throw new IllegalStateException("SM3 lanes are not available in this JVM");
    }
    try {
      return (Sm3LaneCompressor) factory.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Why the lanes are off, or null when they are on; for diagnostics and benchmarks. */
  public static String unavailableReason() {
    return available() ? null : Probe.reason;
  }

  private static MethodHandle load() {
    if (!Boolean.parseBoolean(System.getProperty("evidencekit.sm3.lanes", "true"))) {
      Probe.reason = "turned off by -Devidencekit.sm3.lanes=false";
      return null;
    }
    String compiler =
        compilerReason(
            System.getProperty("java.vm.name", ""),
            System.getProperty("java.vm.info", ""),
            Boolean.getBoolean("jdk.internal.vm.ci.enabled"),
            jvmArguments());
    if (compiler != null) {
      Probe.reason = compiler;
      return null;
    }
    Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
    if (vector.isEmpty()) {
      Probe.reason = "the JVM was started without --add-modules " + MODULE;
      return null;
    }
    try {
      // on the module path, org.evidencekit.core does not declare the (optional) module
      Sm3Lanes.class.getModule().addReads(vector.get());
      Class<?> impl = Class.forName("org.evidencekit.internal.hash.VectorSm3Lanes");
      MethodHandle ctor =
          MethodHandles.lookup().findConstructor(impl, MethodType.methodType(void.class));
      MethodHandle factory = ctor.asType(MethodType.methodType(Sm3LaneCompressor.class));
      Sm3LaneCompressor c = (Sm3LaneCompressor) factory.invoke();
      if (c.lanes() < 4) {
        Probe.reason = "the preferred vector has only " + c.lanes() + " 32-bit lanes";
        return null;
      }
      if (!selfTest(c)) {
        Probe.reason = "the vector compressor disagreed with the scalar SM3 on its self-test";
        return null;
      }
      Probe.lanes = c.lanes();
      return factory;
    } catch (Throwable t) {
      Probe.reason = "the vector compressor could not be loaded: " + t;
      return null;
    }
  }

  /**
   * Why this JVM's JIT cannot run the lanes, or null if it can. Only HotSpot's C2 compiles Vector
   * API code into vector instructions; anywhere else every vector is an object, and the lanes run
   * far slower than the scalar code: with {@code -XX:TieredStopAtLevel=1} (a common start-up
   * setting) 64 s instead of 1.2 s for a 256 MiB SM3 seal, measured. So the lanes need HotSpot, not
   * in interpreted mode, with C2 on (no {@code emulated-client}, no {@code -XX:TieredStopAtLevel}
   * below 4 in the JVM's arguments or its option variables) and no JVMCI compiler in its place.
   *
   * @param arguments the JVM's command line (argument files expanded) and the contents of {@code
   *     JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}, split at white space (a later setting
   *     wins, as in the JVM)
   */
  static String compilerReason(
      String vmName, String vmInfo, boolean jvmci, List<String> arguments) {
    if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
      return "the lanes need HotSpot's C2 compiler, and this JVM is " + vmName;
    }
    if (vmInfo.contains("interpreted")) {
      return "the JVM runs in interpreted mode";
    }
    if (vmInfo.contains("emulated-client")) {
      return "the JIT runs without C2: -XX:TieredStopAtLevel=1 or -XX:CompilationMode=quick-only";
    }
    if (jvmci) {
      return "the JIT is a JVMCI compiler; the lanes need HotSpot's C2";
    }
    String stop = null;
    for (String a : arguments) {
      if (a.startsWith("-XX:TieredStopAtLevel=")) {
        stop = a.substring("-XX:TieredStopAtLevel=".length());
      }
    }
    if (stop != null && !stop.equals("4")) {
      return "the JIT stops below C2: -XX:TieredStopAtLevel=" + stop;
    }
    return null;
  }

  /** The JVM's arguments as far as they can be known cheaply (see {@link #compilerReason}). */
  private static List<String> jvmArguments() {
    List<String> args = new ArrayList<>();
    for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
      String v = System.getenv(env);
      if (v != null) {
        args.addAll(Arrays.asList(v.trim().split("\\s+")));
      }
    }
    // the command line comes after the option variables: its settings win
    ProcessHandle.current().info().arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    return expandArgumentFiles(args);
  }

  /**
   * {@code args} with every {@code @file} replaced by that file's words, as the java launcher
   * expands its argument files (read only if it is a regular file under 64 KiB; anything else is
   * left as it is). Quotes are not parsed: only {@code -XX:} settings are looked for.
   */
  static List<String> expandArgumentFiles(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.length() > 1 && a.startsWith("@") && !a.startsWith("@@")) {
        try {
          java.nio.file.Path p = java.nio.file.Path.of(a.substring(1));
          if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.size(p) <= 64 * 1024) {
            String text = java.nio.file.Files.readString(p).trim();
            if (!text.isEmpty()) {
              out.addAll(Arrays.asList(text.split("\\s+")));
            }
            continue;
          }
        } catch (java.io.IOException | RuntimeException e) {
          // not an argument file we can read: keep the word
        }
      }
      out.add(a);
    }
    return out;
  }

  /** Three blocks per lane of different pseudo-random data, against the scalar SM3. */
  private static boolean selfTest(Sm3LaneCompressor c) {
    int lanes = c.lanes();
    byte[] data = new byte[lanes * 192];
    new Random(32905).nextBytes(data);
    int[] state = new int[8 * lanes];
    int[] offsets = new int[lanes];
    for (int i = 0; i < lanes; i++) {
      offsets[i] = i * 192;
      for (int k = 0; k < 8; k++) {
        state[k * lanes + i] = Sm3.IV[k];
      }
    }
    c.compress(state, ByteBuffer.wrap(data), offsets, 3);
    Sm3 scalar = new Sm3();
    int[] expected = new int[8 * lanes];
    for (int i = 0; i < lanes; i++) {
      scalar.reset();
      scalar.update(data, i * 192, 192);
      scalar.exportState(expected, lanes, i);
    }
    return Arrays.equals(state, expected);
  }
}
