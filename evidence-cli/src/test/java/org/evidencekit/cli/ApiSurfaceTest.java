package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of the library modules (core, video, storage SPI, TCK, S3, ingest), every exported
 * type and public or protected member, against the reviewed list in api-surface.txt. A change to
 * the API fails here until the list is updated with it, so no change goes out unreviewed: {@code
 * -Dapi.surface.update=true} rewrites the list from the code (then review the diff).
 */
class ApiSurfaceTest {
  /** The packages the library modules export (module-info.java; S3 and the TCK have none). */
  static final Set<String> EXPORTED =
      Set.of(
          "org.evidencekit.hash",
          "org.evidencekit.merkle",
          "org.evidencekit.seal",
          "org.evidencekit.verify",
          "org.evidencekit.store",
          "org.evidencekit.trust",
          "org.evidencekit.retention",
          "org.evidencekit.continuity",
          "org.evidencekit.ledger",
          "org.evidencekit.crypt",
          "org.evidencekit.video",
          "org.evidencekit.ingest",
          "org.evidencekit.report",
          "org.evidencekit.storage",
          "org.evidencekit.storage.s3",
          "org.evidencekit.storage.tck");

  private static final String EXPECTED = "/org/evidencekit/cli/api-surface.txt";

  @Test
  void theApiIsTheReviewedOne() throws Exception {
    String actual = String.join("\n", surface()) + "\n";
    if (Boolean.getBoolean("api.surface.update")) {
      Files.writeString(Path.of("src/test/resources" + EXPECTED), actual, StandardCharsets.UTF_8);
    }
    String expected;
    try (InputStream in = ApiSurfaceTest.class.getResourceAsStream(EXPECTED)) {
      assertTrue(in != null, "no " + EXPECTED + ": run with -Dapi.surface.update=true");
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!expected.equals(actual)) {
      Path out = Path.of("target", "api-surface.actual.txt");
      Files.writeString(out, actual, StandardCharsets.UTF_8);
      List<String> added = new ArrayList<>(actual.lines().toList());
      added.removeAll(expected.lines().toList());
      List<String> removed = new ArrayList<>(expected.lines().toList());
      removed.removeAll(actual.lines().toList());
      assertEquals(
          expected,
          actual,
          "the public API changed (added "
              + added
              + ", removed "
              + removed
              + "); review it, then run with -Dapi.surface.update=true (actual in "
              + out
              + ")");
    }
  }

  /** One line per exported type and per public or protected member, sorted. */
  static List<String> surface() throws IOException, ClassNotFoundException {
    Set<String> lines = new TreeSet<>();
    for (String name : classNames()) {
      Class<?> c = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
      if (!visible(c)) {
        continue;
      }
      String type = c.getName();
      lines.add(type + " : " + typeLine(c));
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (member(k.getModifiers(), k.isSynthetic())) {
          lines.add(type + " # " + k.toGenericString());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (member(m.getModifiers(), m.isSynthetic() || m.isBridge())) {
          lines.add(type + " # " + m.toGenericString());
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (member(f.getModifiers(), f.isSynthetic())) {
          lines.add(type + " # " + f.toGenericString());
        }
      }
    }
    return new ArrayList<>(lines);
  }

  private static String typeLine(Class<?> c) {
    StringBuilder b = new StringBuilder(Modifier.toString(c.getModifiers()));
    if (c.getGenericSuperclass() != null
        && c.getSuperclass() != Object.class
        && !c.isEnum()
        && !c.isRecord()) {
      b.append(" extends ").append(c.getGenericSuperclass().getTypeName());
    }
    if (c.getGenericInterfaces().length > 0) {
      b.append(" implements");
      for (var i : c.getGenericInterfaces()) {
        b.append(' ').append(i.getTypeName());
      }
    }
    return b.toString().strip();
  }

  private static boolean member(int modifiers, boolean synthetic) {
    return !synthetic && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
  }

  /**
   * Public, and every enclosing class public too (a public nested class of a hidden one is not).
   */
  private static boolean visible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  /** The classes of the exported packages on the test class path (directories or jars). */
  private static Set<String> classNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (p.toString().contains("test-classes")) {
        continue;
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.toString().endsWith(".class"))
              .forEach(
                  f -> add(names, p.relativize(f).toString().replace(File.separatorChar, '/')));
        }
      } else if (p.toString().endsWith(".jar")
          && p.getFileName().toString().startsWith("evidence-")) {
        try (JarFile jar = new JarFile(p.toFile())) {
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            add(names, e.getName());
          }
        }
      }
    }
    return names;
  }

  private static void add(Set<String> names, String path) {
    if (!path.endsWith(".class")
        || path.endsWith("module-info.class")
        || path.endsWith("package-info.class")) {
      return;
    }
    String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
    int dot = name.lastIndexOf('.');
    if (dot > 0 && EXPORTED.contains(name.substring(0, dot))) {
      names.add(name);
    }
  }
}
