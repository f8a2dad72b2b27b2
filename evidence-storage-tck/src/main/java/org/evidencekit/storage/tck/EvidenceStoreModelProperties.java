package org.evidencekit.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;

/**
 * Model-based properties: any sequence of creates, aborted writes, reads, deletes, retention
 * changes, holds, listings and clock moves gives the same outcome on the store as on a naive model
 * written from the spec. Extend it with the same factory method as {@link EvidenceStoreTck}.
 * Operations whose capability the store lacks are not generated.
 */
public abstract class EvidenceStoreModelProperties {
  /** See {@link EvidenceStoreTck#openStore}. */
  protected abstract EvidenceStore openStore(StoreContext context) throws IOException;

  /** One step of a scenario. */
  public static final class Op {
    final String kind;
    final String key;
    final int arg;

    Op(String kind, String key, int arg) {
      this.kind = kind;
      this.key = key;
      this.arg = arg;
    }

    @Override
    public String toString() {
      return kind + "(" + key + "," + arg + ")";
    }
  }

  private static final List<String> KEYS = List.of("a", "b", "a/b", "a/b/c", "ab", "c/d");

  @Provide
  protected Arbitrary<List<Op>> scenarios() {
    Arbitrary<String> kinds =
        Arbitraries.of(
            "create", "create", "abort", "read", "delete", "retain", "hold", "release", "advance",
            "list");
    Arbitrary<Op> op =
        Combinators.combine(kinds, Arbitraries.of(KEYS), Arbitraries.integers().between(0, 40))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  private static final class ModelObject {
    final byte[] content;
    Instant until;
    boolean hold;

    ModelObject(byte[] content) {
      this.content = content;
    }
  }

  /**
   * The property. A subclass for a slow remote store may override it with fewer tries
   * ({@code @Property(tries = 25)}) and call {@code super}.
   */
  @Property(tries = 150)
  protected void everySequenceOfOperationsMatchesTheModel(@ForAll("scenarios") List<Op> ops)
      throws IOException {
    Path dir = Files.createTempDirectory("evidence-tck-model");
    MutableClock clock = new MutableClock(EvidenceStoreTck.T0);
    StoreContext ctx =
        new StoreContext(clock, dir, "model-" + Long.toString(System.nanoTime() & 0xfffffff, 36));
    TreeMap<String, ModelObject> model = new TreeMap<>();
    try (EvidenceStore store = openStore(ctx)) {
      Set<Capability> caps = store.capabilities();
      int step = 0;
      for (Op op : ops) {
        step++;
        String where = "step " + step + " " + op + " of " + ops;
        apply(store, caps, clock, model, op, where);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private void apply(
      EvidenceStore store,
      Set<Capability> caps,
      MutableClock clock,
      TreeMap<String, ModelObject> model,
      Op op,
      String where)
      throws IOException {
    ObjectKey k = ObjectKey.of(op.key);
    ModelObject m = model.get(op.key);
    switch (op.kind) {
      case "create":
        {
          byte[] content = new byte[op.arg * 37];
          new java.util.Random(op.arg).nextBytes(content);
          String outcome =
              outcome(
                  () -> {
                    try (WritableObject w = store.create(k)) {
                      w.write(ByteBuffer.wrap(content));
                      w.commit();
                    }
                  });
          assertEquals(m == null ? "ok" : "exists", outcome, where);
          if (m == null) {
            model.put(op.key, new ModelObject(content));
          }
          break;
        }
      case "abort":
        {
          String outcome =
              outcome(
                  () -> {
                    try (WritableObject w = store.create(k)) {
                      w.write(ByteBuffer.wrap(new byte[op.arg]));
                      w.abort();
                    }
                  });
          assertEquals(m == null ? "ok" : "exists", outcome, where);
          break;
        }
      case "read":
        if (m == null) {
          assertEquals("nosuch", outcome(() -> store.openRead(k).close()), where);
        } else {
          try (SeekableByteChannel ch = store.openRead(k)) {
            assertArrayEquals(m.content, EvidenceStoreTck.readAll(ch), where);
          }
          ObjectInfo info = store.stat(k);
          assertEquals(m.content.length, info.size(), where);
          if (caps.contains(Capability.RETENTION)) {
            assertEquals(java.util.Optional.ofNullable(m.until), info.retainUntil(), where);
          }
          if (caps.contains(Capability.LEGAL_HOLD)) {
            assertEquals(m.hold, info.legalHold(), where);
          }
        }
        break;
      case "delete":
        {
          String expected;
          if (m == null) {
            expected = "nosuch";
          } else if (m.hold || (m.until != null && now(caps, clock).isBefore(m.until))) {
            expected = "locked";
          } else {
            expected = "ok";
          }
          assertEquals(expected, outcome(() -> store.delete(k)), where);
          if (expected.equals("ok")) {
            model.remove(op.key);
          }
          break;
        }
      case "retain":
        if (caps.contains(Capability.RETENTION)) {
          // on a server clock only future instants: Object Lock cannot record an expired one
          Instant until =
              caps.contains(Capability.INJECTED_CLOCK)
                  ? clock.instant().plus(Duration.ofDays(op.arg - 10L))
                  : now(caps, clock)
                      .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                      .plus(Duration.ofDays(op.arg + 1L));
          String expected =
              m == null ? "nosuch" : m.until != null && until.isBefore(m.until) ? "locked" : "ok";
          assertEquals(expected, outcome(() -> store.setRetention(k, until)), where);
          if (expected.equals("ok")) {
            m.until = until;
          }
        }
        break;
      case "hold":
      case "release":
        if (caps.contains(Capability.LEGAL_HOLD)) {
          boolean on = op.kind.equals("hold");
          assertEquals(
              m == null ? "nosuch" : "ok", outcome(() -> store.setLegalHold(k, on)), where);
          if (m != null) {
            m.hold = on;
          }
        }
        break;
      case "advance":
        if (caps.contains(Capability.INJECTED_CLOCK)) {
          clock.advance(Duration.ofDays(op.arg));
        }
        break;
      case "list":
        if (caps.contains(Capability.LIST)) {
          String prefix = op.key.substring(0, op.arg % (op.key.length() + 1));
          List<String> expected = new ArrayList<>();
          for (String key : model.keySet()) {
            if (key.startsWith(prefix)) {
              expected.add(key);
            }
          }
          expected.sort(Comparator.comparing(ObjectKey::of, ObjectKey.ORDER));
          try (Stream<ObjectInfo> s = store.list(prefix)) {
            assertEquals(expected, s.map(i -> i.key().value()).collect(Collectors.toList()), where);
          }
        }
        break;
      default:
        throw new AssertionError(op.kind);
    }
  }

  private static Instant now(Set<Capability> caps, MutableClock clock) {
    return caps.contains(Capability.INJECTED_CLOCK) ? clock.instant() : Instant.now();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static String outcome(IoAction a) throws IOException {
    try {
      a.run();
      return "ok";
    } catch (ObjectExistsException e) {
      return "exists";
    } catch (NoSuchObjectException e) {
      return "nosuch";
    } catch (RetentionLockedException e) {
      return "locked";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        p.toFile().setWritable(true);
        Files.deleteIfExists(p);
      }
    }
  }
}
