package org.evidencekit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help screens laid out at the terminal's width and wrapped only at spaces.
 *
 * <p>picocli wraps with the JDK's line breaker, which breaks after '.', '/', ':' and '-': a file
 * name, a URL or an option split across two lines cannot be pasted. Here every section is laid out
 * from picocli's model and wrapped at spaces only; a word longer than the line stays whole and runs
 * past the edge (the terminal folds it, which a copy does not see). Footer lines that begin with a
 * space are examples and are printed exactly as written, so each stays one pasteable line.
 */
final class HelpLayout {
  /** picocli's own floor for the usage width. */
  static final int MIN_WIDTH = 55;

  /** Wide enough that picocli never wraps the synopsis. */
  private static final int UNBOUNDED = 4000;

  private HelpLayout() {}

  /**
   * The help width: {@code COLUMNS} when the shell exports it (the launcher does, from the
   * terminal), else what picocli detects from the terminal, else 80.
   */
  static int width(CommandLine cl) {
    String columns = System.getenv("COLUMNS");
    if (columns != null) {
      try {
        return Math.max(MIN_WIDTH, Integer.parseInt(columns.trim()));
      } catch (NumberFormatException e) {
        // not a number: fall back to detection
      }
    }
    cl.setUsageHelpAutoWidth(true);
    return cl.getCommandSpec().usageMessage().width();
  }

  /**
   * Lays out the help of {@code cl} and of every subcommand below it at the width {@code columns}
   * gives, asked only when a help screen is printed (detecting the terminal starts a process).
   */
  static void install(CommandLine cl, IntSupplier columns) {
    int[] known = {0};
    IntSupplier once =
        () -> {
          if (known[0] == 0) {
            known[0] = Math.max(MIN_WIDTH, columns.getAsInt());
          }
          return known[0];
        };
    install0(cl, once);
  }

  private static void install0(CommandLine cl, IntSupplier width) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
        h -> synopsis(h, width.getAsInt()));
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
        h -> paragraphs(h.commandSpec().usageMessage().description(), width.getAsInt()));
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
        h -> parameters(h, width.getAsInt()));
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        h -> options(h, width.getAsInt()));
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
        h -> commands(h, width.getAsInt()));
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
        h -> paragraphs(h.commandSpec().usageMessage().footer(), width.getAsInt()));
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getParent() == cl) {
        install0(sub, width);
      }
    }
  }

  /**
   * picocli's synopsis, laid out on one unbounded line and wrapped here, under the first token
   * after the command name.
   */
  private static String synopsis(Help h, int width) {
    CommandSpec spec = h.commandSpec();
    int saved = spec.usageMessage().width();
    String one;
    try {
      spec.usageMessage().width(UNBOUNDED);
      one = h.synopsis(h.synopsisHeadingLength());
    } finally {
      spec.usageMessage().width(saved);
    }
    // the heading ("Usage: ") is printed before this section but takes room on its first line
    String heading = " ".repeat(h.synopsisHeadingLength());
    String prefix = spec.qualifiedName() + " ";
    String line = one.strip();
    int hanging = heading.length() + prefix.length();
    String laid =
        line.startsWith(prefix)
            ? wrap(heading + prefix.strip(), line.substring(prefix.length()), hanging, width)
            : wrap(heading, line, hanging, width);
    return laid.substring(heading.length()) + "\n";
  }

  /** Prose lines wrapped at spaces; lines beginning with a space (examples) kept whole. */
  private static String paragraphs(String[] lines, int width) {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      b.append(line.startsWith(" ") ? line.stripTrailing() : wrap("", line, 0, width)).append('\n');
    }
    return b.toString();
  }

  private static String options(Help h, int width) {
    CommandSpec spec = h.commandSpec();
    List<OptionSpec> visible = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        visible.add(o);
      }
    }
    java.util.Comparator<OptionSpec> order = h.createDefaultOptionSort();
    if (order != null) {
      visible.sort(order);
    }
    int column = descriptionColumn(h);
    Help.IOptionRenderer renderer = h.createDefaultOptionRenderer();
    StringBuilder b = new StringBuilder();
    for (OptionSpec o : visible) {
      table(b, renderer.render(o, h.parameterLabelRenderer(), h.colorScheme()), column, width);
    }
    return b.toString();
  }

  private static String parameters(Help h, int width) {
    int column = descriptionColumn(h);
    Help.IParameterRenderer renderer = h.createDefaultParameterRenderer();
    StringBuilder b = new StringBuilder();
    for (PositionalParamSpec p : h.commandSpec().positionalParameters()) {
      if (!p.hidden()) {
        table(b, renderer.render(p, h.parameterLabelRenderer(), h.colorScheme()), column, width);
      }
    }
    return b.toString();
  }

  /** Where option descriptions start: picocli's columns of 2, 2 and 1, then the long names. */
  private static int descriptionColumn(Help h) {
    CommandSpec spec = h.commandSpec();
    return 2
        + 2
        + 1
        + h.calcLongOptionColumnWidth(spec.options(), spec.positionalParameters(), h.colorScheme())
        + 1;
  }

  /** Rows of picocli's option layout: required mark, short name, comma, long name, description. */
  private static void table(StringBuilder b, Text[][] rows, int column, int width) {
    for (int r = 0; r < rows.length; r++) {
      Text[] row = rows[r];
      String left =
          pad(plain(row[0]), 2)
              + pad(plain(row[1]), 2)
              + pad(plain(row[2]), 1)
              + (plain(row[3]).isEmpty() ? "" : " " + plain(row[3]));
      String description = row.length > 4 ? plain(row[4]).strip() : "";
      if (left.isBlank()) {
        left = "";
      } else if (left.stripTrailing().length() >= column) {
        b.append(left.stripTrailing()).append('\n');
        left = "";
      }
      if (description.isEmpty()) {
        if (!left.isEmpty()) {
          b.append(left.stripTrailing()).append('\n');
        }
        continue;
      }
      b.append(wrap(pad(left, column), description, column + 2, width)).append('\n');
    }
  }

  private static String commands(Help h, int width) {
    Map<String, Help> subs = h.subcommands();
    int names = 0;
    for (Map.Entry<String, Help> e : subs.entrySet()) {
      if (!e.getValue().commandSpec().usageMessage().hidden()) {
        names = Math.max(names, e.getKey().length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Help> e : subs.entrySet()) {
      CommandSpec spec = e.getValue().commandSpec();
      if (spec.usageMessage().hidden()) {
        continue;
      }
      String[] header = spec.usageMessage().header();
      String[] description = spec.usageMessage().description();
      String first = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
      b.append(wrap(pad("  " + e.getKey(), names + 4), first.strip(), names + 6, width))
          .append('\n');
    }
    return b.toString();
  }

  private static String plain(Text t) {
    return t == null ? "" : t.plainString();
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }

  /**
   * {@code prefix} then {@code text}'s words, a space apart, on lines of at most {@code width}
   * columns; later lines start at {@code hanging}. A word is never split: one longer than the room
   * left gets a line of its own and may run past the width.
   */
  static String wrap(String prefix, String text, int hanging, int width) {
    StringBuilder b = new StringBuilder(prefix);
    int lineStart = 0;
    boolean wordOnLine = false;
    for (String word : text.split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      int col = b.length() - lineStart;
      boolean needsSpace = col > 0 && b.charAt(b.length() - 1) != ' ';
      if (wordOnLine || !prefix.isEmpty()) {
        if (col + (needsSpace ? 1 : 0) + word.length() > width && col > hanging) {
          b.append('\n');
          lineStart = b.length();
          b.append(" ".repeat(hanging));
          needsSpace = false;
        }
      }
      if (needsSpace) {
        b.append(' ');
      }
      b.append(word);
      wordOnLine = true;
    }
    return b.toString();
  }
}
