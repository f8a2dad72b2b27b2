package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.evidencekit.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evidence ingest} and {@code evidence analyze} search a card alike (the library's {@code
 * FolderSearch}): the same recordings, the same skipped paths for the same reasons. Before, analyze
 * had its own search, which left out every file whose name starts with a dot (a hidden recording
 * went unanalysed while ingest kept it) and took the macOS event log for a recording it could not
 * read, an Art. 21(2) finding on a complete card.
 */
class CardSearchCliTest {
  static final String[] SPLIT3 = {
    "DEVCAM7_20230601_141000_001.mp4",
    "DEVCAM7_20230601_141003_002.mp4",
    "DEVCAM7_20230601_141006_003.mp4"
  };

  @TempDir Path dir;

  private Path fixture(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = getClass().getResourceAsStream("/fixtures/f02_split3/" + name)) {
      Files.copy(in, to);
    }
    return to;
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  /** Finder settings: 00 00 00 01 "Bud1". */
  private static byte[] dsStore() {
    byte[] b = new byte[6148];
    System.arraycopy(new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'}, 0, b, 0, 8);
    return b;
  }

  /** Explorer's thumbnail cache: an OLE2 compound file. */
  private static byte[] thumbsDb() {
    byte[] b = new byte[1536];
    byte[] magic = {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a};
    System.arraycopy(magic, 0, b, 0, magic.length);
    b[7] = (byte) 0xe1;
    return b;
  }

  private static Set<String> skippedLines(String stderr) {
    return stderr
        .lines()
        .filter(l -> l.startsWith("skipped "))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void ingestAndAnalyzeSeeTheSameCard() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    fixture(SPLIT3[0], card.resolve("DCIM/" + SPLIT3[0]));
    // the last file hidden with a dot, the middle one deleted in Explorer: both still recordings
    Path hidden = fixture(SPLIT3[2], card.resolve("DCIM/." + SPLIT3[2]));
    Path recycled = fixture(SPLIT3[1], card.resolve("$RECYCLE.BIN/S-1-5-21-1001/$R8K2QJ4.mp4"));
    Path ds = write(card.resolve(".DS_Store"), dsStore());
    Path events =
        write(
            card.resolve(".fseventsd/fseventsd-uuid"), "9D1B0A4E".getBytes(StandardCharsets.UTF_8));
    Path thumbs = write(card.resolve("DCIM/Thumbs.db"), thumbsDb());

    Run analyze = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertEquals(0, analyze.code(), analyze.out() + analyze.err());
    // all three files of the session, no unreadable file: a complete card
    assertTrue(analyze.out().contains("device DEVCAM7: 3 file(s)"), analyze.out());
    assertTrue(analyze.out().contains("no findings"), analyze.out());
    assertTrue(
        analyze
            .out()
            .contains(
                "FOUND_IN_TRASH "
                    + recycled
                    + ": found in the trash folder "
                    + card.resolve("$RECYCLE.BIN").toAbsolutePath()),
        analyze.out());
    assertFalse(analyze.out().contains("FOUND_IN_TRASH " + hidden), analyze.out());

    Run ingest =
        CliTest.run(
            "ingest",
            card.toString(),
            "--store",
            dir.resolve("store").toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "p",
            "--json");
    assertTrue(ingest.code() < 2, ingest.out() + ingest.err());
    JsonNode result = new ObjectMapper().readTree(ingest.out());
    Set<String> skipped = new TreeSet<>();
    result.get("skipped").forEach(s -> skipped.add(s.get("path").asText()));
    assertEquals(
        new TreeSet<>(List.of(ds.toString(), events.toString(), thumbs.toString())), skipped);
    // analyze lists the same paths with the same reasons as ingest
    Set<String> ingestLines = new TreeSet<>();
    result
        .get("skipped")
        .forEach(
            s ->
                ingestLines.add(
                    "skipped " + s.get("path").asText() + ": " + s.get("reason").asText()));
    assertEquals(ingestLines, skippedLines(analyze.err()));
    Set<String> files = new TreeSet<>();
    result.get("recordings").forEach(r -> files.add(r.get("file").asText()));
    assertEquals(
        new TreeSet<>(
            List.of(
                card.resolve("DCIM/" + SPLIT3[0]).toString(),
                hidden.toString(),
                recycled.toString())),
        files);
    for (JsonNode r : result.get("recordings")) {
      boolean inTrash = r.get("findings").toString().contains("FOUND_IN_TRASH");
      assertEquals(r.get("file").asText().equals(recycled.toString()), inTrash, r.toString());
    }
  }

  /**
   * Two folders of a card holding files of the same name (a camera that numbers each folder anew):
   * analyze refused the whole card, "DEVCAM7_…_001.mp4 is given twice", exit 2, though each folder
   * was given once. Now such files are named by their paths and analysed; a name no other file
   * shares still names its file.
   */
  @Test
  void filesOfTheSameNameInTwoFoldersAreBothAnalysed() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path first = fixture(SPLIT3[0], card.resolve("DCIM/100MEDIA/" + SPLIT3[0]));
    Path second = card.resolve("DCIM/101MEDIA/" + SPLIT3[0]);
    fixture(SPLIT3[1], second); // another recording under the first one's name
    fixture(SPLIT3[2], card.resolve("DCIM/101MEDIA/" + SPLIT3[2]));

    Run analyze = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertTrue(analyze.code() < 2, analyze.out() + analyze.err());
    assertFalse(analyze.err().contains("given twice"), analyze.err());
    assertTrue(analyze.out().contains("device DEVCAM7: 3 file(s)"), analyze.out());

    Run json = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--json");
    assertTrue(json.code() < 2, json.out() + json.err());
    Set<String> files = new TreeSet<>();
    new ObjectMapper()
        .readTree(json.out())
        .get("sessions")
        .forEach(session -> session.get("files").forEach(f -> files.add(f.asText())));
    assertEquals(new TreeSet<>(List.of(first.toString(), second.toString(), SPLIT3[2])), files);
  }

  /**
   * Two recordings of one name and day in two folders share their key: the second met was a
   * CONFLICT and was not stored. Both are now stored, the second under the key derived from
   * its content, and its row says which file of the card it is; a re-run stores nothing.
   */
  @Test
  void twoRecordingsOfOneNameAreBothStoredTheMovedOneNamedByItsFile() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path first = fixture(SPLIT3[0], card.resolve("DCIM/100MEDIA/" + SPLIT3[0]));
    Path second = card.resolve("DCIM/101MEDIA/" + SPLIT3[0]);
    fixture(SPLIT3[1], second); // another recording of that day under the first one's name
    Run ingest =
        CliTest.run(
            "ingest",
            card.toString(),
            "--store",
            dir.resolve("store").toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "p");
    // 1 for the fixture's 2023 recordings ingested years late (LATE_INGEST), not for the names
    assertEquals(1, ingest.code(), ingest.out() + ingest.err());
    assertTrue(ingest.out().contains("0 conflicting"), ingest.out());
    List<String> rows = ingest.out().lines().filter(l -> l.startsWith("INGESTED")).toList();
    assertEquals(2, rows.size(), ingest.out());
    assertEquals(
        1,
        rows.stream().filter(l -> l.contains(SPLIT3[0].replace(".mp4", "~"))).count(),
        rows + "");
    long named =
        ingest
            .out()
            .lines()
            .filter(l -> l.contains("! from "))
            .filter(l -> l.endsWith("stored under the key derived from its content"))
            .filter(l -> l.contains(first.toString()) || l.contains(second.toString()))
            .count();
    assertEquals(1, named, ingest.out());
    assertTrue(ingest.out().contains("! NAME_TAKEN "), ingest.out());

    Run again =
        CliTest.run(
            "ingest",
            card.toString(),
            "--store",
            dir.resolve("store").toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "p");
    assertEquals(2, again.out().lines().filter(l -> l.startsWith("ALREADY")).count(), again.out());
  }

  /**
   * A card of only debris and seal files: the one line of both commands names the first skipped
   * paths and why, and how many more, instead of a bare count an officer cannot act on.
   */
  @Test
  void nothingToIngestOrAnalyzeNamesWhatWasSkipped() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path ds = write(card.resolve(".DS_Store"), dsStore());
    Path thumbs = write(card.resolve("DCIM/Thumbs.db"), thumbsDb());
    Path seal =
        write(
            card.resolve("DCIM/" + SPLIT3[0] + ".seal.json"),
            "{}".getBytes(StandardCharsets.UTF_8));
    write(card.resolve(".fseventsd/0000000000a1b2c3"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
    write(card.resolve(".fseventsd/fseventsd-uuid"), "9D1B0A4E".getBytes(StandardCharsets.UTF_8));
    Path store = dir.resolve("store");

    Run ingest =
        CliTest.run(
            "ingest",
            card.toString(),
            "--store",
            store.toString(),
            "--device",
            "D",
            "--officer",
            "p");
    Run analyze = CliTest.run("analyze", card.toString());
    for (Run r : List.of(ingest, analyze)) {
      assertEquals(2, r.code(), r.out() + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
      assertEquals("", r.out());
      String line = r.err();
      // the first three in path order, each with its reason, then the count of the rest
      assertTrue(
          line.contains("; 5 skipped: " + ds + " (operating system debris: the macOS"), line);
      assertTrue(
          line.contains(
              "; "
                  + card.resolve(".fseventsd/0000000000a1b2c3")
                  + " (operating system debris: in .fseventsd"),
          line);
      assertTrue(
          line.contains(
              "; " + card.resolve(".fseventsd/fseventsd-uuid") + " (operating system debris"),
          line);
      assertTrue(line.strip().endsWith("; and 2 more"), line);
      assertFalse(line.contains(seal.toString()) || line.contains(thumbs.toString()), line);
      assertFalse(line.contains("\tat "), "no stack trace");
    }
    assertTrue(ingest.err().startsWith("evidence: nothing to ingest: no recording found; "));
    assertTrue(
        analyze.err().startsWith("evidence: nothing to analyze: no recording found in " + card));
    assertFalse(Files.exists(store), "no store made for a card without recordings");
  }
}
