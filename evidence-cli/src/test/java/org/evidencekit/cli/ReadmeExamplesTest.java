package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands that use the sample inputs in docs/examples run as printed: the files are
 * there, they parse, and the commands give a result (exit 0 or 1), not a usage error.
 */
class ReadmeExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final String[] RECORDINGS = {
    "DEVCAM7_20230601_141000_001.mp4",
    "DEVCAM7_20230601_141003_002.mp4",
    "DEVCAM7_20230601_141006_003.mp4"
  };

  @TempDir Path dir;

  /** The README's command lines (continuations joined, comments dropped) naming docs/examples. */
  private static List<List<String>> readmeCommands() throws IOException {
    return allReadmeCommands().stream()
        .filter(c -> String.join(" ", c).contains("docs/examples/"))
        .toList();
  }

  /** All of the README's command lines, without the leading "./evidence". */
  private static List<List<String>> allReadmeCommands() throws IOException {
    List<List<String>> commands = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String l : Files.readAllLines(ROOT.resolve("README.md"))) {
      String code = l.replaceAll("\\s+#.*$", "").strip();
      if (line.length() == 0 && !code.startsWith("./evidence ")) {
        continue;
      }
      boolean more = code.endsWith("\\");
      line.append(more ? code.substring(0, code.length() - 1) : code).append(' ');
      if (!more) {
        String c = line.toString().strip();
        line.setLength(0);
        for (String one : c.split(" && ")) {
          commands.add(List.of(one.strip().substring("./evidence ".length()).split("\\s+")));
        }
      }
    }
    return commands;
  }

  private Path recordings() throws IOException {
    Path d = Files.createDirectories(dir.resolve("DCIM"));
    for (String n : RECORDINGS) {
      try (var in = getClass().getResourceAsStream("/fixtures/f02_split3/" + n)) {
        Files.copy(in, d.resolve(n));
      }
    }
    return d;
  }

  @Test
  void readmeCommandsRunOnTheSampleInputs() throws IOException {
    List<List<String>> commands = readmeCommands();
    List<String> names = commands.stream().map(c -> c.get(0)).toList();
    assertTrue(names.containsAll(List.of("report", "analyze", "retention")), names.toString());
    Path dcim = recordings();
    Path store = dir.resolve("store");
    Run ingest =
        CliTest.run(
            "ingest",
            dcim.toString(),
            "--store",
            store.toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "police-0042",
            "--case",
            "ZZ-2023-0042",
            "-q");
    assertTrue(ingest.code() <= 1, ingest.err());
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>();
      for (int i = 0; i < command.size(); i++) {
        String a = command.get(i);
        if (a.equals("DCIM/DEVCAM7_*.mp4")) {
          for (String n : RECORDINGS) {
            args.add(dcim.resolve(n).toString());
          }
        } else if (a.startsWith("docs/examples/")) {
          Path sample = ROOT.resolve(a);
          assertTrue(Files.isRegularFile(sample), "README names a missing sample: " + a);
          args.add(sample.toString());
        } else if (a.equals("store")) {
          args.add(store.toString());
        } else if (i > 0 && command.get(i - 1).equals("-o")) {
          args.add(dir.resolve(a).toString());
        } else {
          args.add(a);
        }
      }
      Run r = CliTest.run(args.toArray(String[]::new));
      assertTrue(r.code() == 0 || r.code() == 1, command + " gave " + r.code() + ": " + r.err());
      assertEquals("", r.err().lines().filter(l -> l.startsWith("evidence:")).findAny().orElse(""));
      if (command.get(0).equals("analyze")) {
        assertTrue(r.out().contains("ZZ-2023-0042/inspection"), r.out());
        assertEquals(0, r.code(), "the sample action is fully recorded: " + r.out());
      }
      if (command.get(0).equals("report")) {
        String html = Files.readString(dir.resolve(command.get(command.indexOf("-o") + 1)));
        assertTrue(html.contains("ZZ-2023-0042/inspection"), "the sample action is in the report");
      }
    }
  }

  /**
   * Pasted from the top, every key file a README command reads was made by a command above it, and
   * the witness's key is of the kind a witness must have (C2SP cosignatures are Ed25519).
   */
  @Test
  void readmeKeysAreMadeBeforeTheyAreUsed() throws IOException {
    java.util.Map<String, String> made = new java.util.HashMap<>(); // file -> suite
    List<List<String>> commands = allReadmeCommands();
    assertTrue(commands.size() > 20, commands.toString());
    for (List<String> c : commands) {
      for (int i = 1; i < c.size() - 1; i++) {
        String f = c.get(i + 1);
        if ((c.get(i).equals("--key") || c.get(i).equals("--trust")) && f.endsWith(".pem")) {
          assertTrue(made.containsKey(f), c + " reads " + f + " before any command made it");
        }
      }
      if (c.get(0).equals("ledger") && c.get(1).equals("witness")) {
        String key = c.get(c.indexOf("--key") + 1);
        assertEquals("ed25519", made.get(key), c + ": a witness key is Ed25519");
      }
      if (c.get(0).equals("keygen")) {
        String out = c.get(c.indexOf("-o") + 1);
        String suite = c.contains("--suite") ? c.get(c.indexOf("--suite") + 1) : "ed25519";
        made.put(out, suite);
        made.put(out.replaceAll("\\.pem$", ".pub.pem"), suite);
      }
    }
  }

  /** Shell words of one command line: quotes removed, stops at a redirection, pipe or ";". */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if (c == '>' || c == '|' || c == ';' || c == '<') {
        if (inWord && !(c == '>' && w.toString().matches("[0-9]"))) {
          words.add(w.toString());
        }
        return words;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  /**
   * Every command line the README and docs/*.md show ("./evidence ...", "$ evidence ...") names
   * subcommands and options that exist, with the values they take: pasted, none is a usage error of
   * the parser.
   */
  @Test
  void everyDocumentedCommandLineParses() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (var s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path doc : docs) {
      StringBuilder line = new StringBuilder();
      boolean inCode = false;
      for (String l : Files.readAllLines(doc)) {
        if (l.strip().startsWith("```")) {
          inCode = !inCode;
          continue;
        }
        if (!inCode) {
          continue;
        }
        String code = l.replaceAll("\\s+#\\s.*$", "").strip();
        if (line.length() == 0) {
          code = code.replaceFirst("^\\$ ", "");
          if (!code.startsWith("./evidence ") && !code.startsWith("evidence ")) {
            continue;
          }
        }
        boolean more = code.endsWith("\\");
        line.append(more ? code.substring(0, code.length() - 1) : code).append(' ');
        if (more) {
          continue;
        }
        String c = line.toString().strip();
        line.setLength(0);
        for (String one : c.split(" && ")) {
          List<String> words = shellWords(one.strip());
          if (words.isEmpty() || !words.get(0).matches("(\\./)?evidence")) {
            continue;
          }
          String[] args = words.subList(1, words.size()).toArray(String[]::new);
          checked++;
          try {
            EvidenceCommand.commandLine(args).parseArgs(args);
          } catch (picocli.CommandLine.ParameterException e) {
            problems.add(doc.getFileName() + ": " + one.strip() + "\n    " + e.getMessage());
          }
        }
      }
    }
    assertTrue(checked > 60, "found only " + checked + " command lines");
    assertEquals("", String.join("\n", problems));
  }

  /** The examples of every --help screen parse too: they are there to be pasted. */
  @Test
  void everyHelpExampleParses() {
    List<String> problems = new ArrayList<>();
    List<picocli.CommandLine> todo =
        new ArrayList<>(List.of(EvidenceCommand.commandLine(new String[0])));
    int checked = 0;
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.remove(todo.size() - 1);
      todo.addAll(c.getSubcommands().values());
      StringBuilder line = new StringBuilder();
      for (String l : c.getCommandSpec().usageMessage().footer()) {
        String code =
            l.replace("${COMMAND-FULL-NAME}", c.getCommandSpec().qualifiedName())
                .replaceAll("\\s+\\(.*\\)$", "")
                .replaceAll("\\s+#\\s.*$", "")
                .strip();
        if (line.length() == 0 && !code.startsWith("evidence ")) {
          continue;
        }
        boolean more = code.endsWith("\\");
        line.append(more ? code.substring(0, code.length() - 1) : code).append(' ');
        if (more) {
          continue;
        }
        List<String> words = shellWords(line.toString().strip());
        line.setLength(0);
        String[] args = words.subList(1, words.size()).toArray(String[]::new);
        checked++;
        try {
          EvidenceCommand.commandLine(args).parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
          problems.add(String.join(" ", words) + "\n    " + e.getMessage());
        }
      }
    }
    assertTrue(checked > 40, "found only " + checked + " examples");
    assertEquals("", String.join("\n", problems));
  }
}
