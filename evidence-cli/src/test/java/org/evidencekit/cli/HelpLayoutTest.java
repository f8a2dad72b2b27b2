package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every help screen, at 80 and 200 columns: no word of the descriptions, options or footers is
 * split across lines (a file name or URL must paste), each example line is printed whole, no line
 * is a lone continuation backslash, and prose fits the width.
 */
class HelpLayoutTest {
  private static final int[] WIDTHS = {80, 200};

  /** Every command path of the full tree, e.g. [ledger, export]. */
  private static List<List<String>> allCommands() {
    List<List<String>> paths = new ArrayList<>();
    walk(EvidenceCommand.commandLine(new String[0]), new ArrayList<>(), paths);
    return paths;
  }

  private static void walk(CommandLine c, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
      if (e.getValue().getParent() == c && e.getKey().equals(e.getValue().getCommandName())) {
        path.add(e.getKey());
        walk(e.getValue(), path, paths);
        path.remove(path.size() - 1);
      }
    }
  }

  private static String help(List<String> path, int width) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EvidenceCommand.execute(
            args.toArray(String[]::new),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            width);
    assertEquals(0, code, path + ": " + err);
    assertEquals("", err.toString(), path.toString());
    return out.toString();
  }

  private static CommandSpec spec(List<String> path) {
    CommandLine c = EvidenceCommand.commandLine(path.toArray(String[]::new));
    for (String name : path) {
      c = c.getSubcommands().get(name);
    }
    return c.getCommandSpec();
  }

  /** The words the command's annotations wrote, which the screen must show unbroken. */
  private static List<String> words(CommandSpec spec) {
    List<String> text = new ArrayList<>();
    text.addAll(Arrays.asList(spec.usageMessage().description()));
    text.addAll(Arrays.asList(spec.usageMessage().footer()));
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        text.addAll(Arrays.asList(o.description()));
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        text.addAll(Arrays.asList(p.description()));
      }
    }
    List<String> words = new ArrayList<>();
    for (String t : text) {
      for (String w : t.strip().split("\\s+")) {
        if (!w.isEmpty() && !w.contains("${")) {
          words.add(w);
        }
      }
    }
    return words;
  }

  @Test
  void noWordIsSplitAndExamplesAreWhole() {
    List<List<String>> commands = allCommands();
    assertTrue(commands.size() > 40, "the whole tree: " + commands.size());
    for (List<String> path : commands) {
      CommandSpec spec = spec(path);
      for (int width : WIDTHS) {
        String screen = help(path, width);
        String where = path + " at " + width + " columns";
        Set<String> shown = new HashSet<>(Arrays.asList(screen.split("\\s+")));
        for (String w : words(spec)) {
          assertTrue(shown.contains(w), where + ": '" + w + "' split or missing\n" + screen);
        }
        List<String> lines = screen.lines().toList();
        for (String example : spec.usageMessage().footer()) {
          if (example.startsWith(" ")) {
            assertTrue(
                lines.contains(example.stripTrailing()),
                where + ": example not whole: " + example + "\n" + screen);
          }
        }
        for (String line : lines) {
          assertFalse(line.strip().equals("\\"), where + ": a lone '\\' line\n" + screen);
          boolean example = Arrays.asList(spec.usageMessage().footer()).contains(line);
          boolean oneWord = line.strip().split("\\s+").length == 1;
          if (!example && !oneWord) {
            assertTrue(line.length() <= width, where + ": too wide: " + line);
          }
        }
      }
    }
  }

  @Test
  void aWiderTerminalGetsLongerLines() {
    String narrow = help(List.of("ingest"), 80);
    String wide = help(List.of("ingest"), 200);
    assertTrue(narrow.lines().count() > wide.lines().count(), wide);
    assertTrue(wide.lines().anyMatch(l -> l.length() > 120), wide);
  }

  @Test
  void exportNamesItselfAsInvoked() {
    String top = help(List.of("export"), 80);
    assertTrue(top.startsWith("Usage: evidence export "), top);
    assertTrue(top.contains("\n  evidence export store "), top);
    assertFalse(top.contains("evidence ledger export"), top);
    String nested = help(List.of("ledger", "export"), 80);
    assertTrue(nested.contains("\n  evidence ledger export store "), nested);
  }

  @Test
  void wrapsAtSpacesOnlyAndKeepsLongWordsWhole() {
    String url = "s3://bucket/prefix?endpoint=http://rgw:7480/a-very-long-path/name.json";
    String laid = HelpLayout.wrap("", "see " + url + " for the store", 0, 20);
    assertEquals(List.of("see", url, "for the store"), laid.lines().toList());
    assertEquals("ab cd\n  ef", HelpLayout.wrap("ab", "cd ef", 2, 6));
  }
}
