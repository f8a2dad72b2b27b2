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
import java.util.Set;
import java.util.TreeSet;
import org.evidencekit.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code evidence analyze} says about the files of a card that are not analysed: a note the
 * officer left on the card is no missing recording (ingest seals it as not media, analyze said
 * "could not be read", an Art. 21(2) error), and what was found in the trash or left out is counted
 * where a reader of the summary, or of the JSON, sees it.
 */
class CardAnalysisCliTest {
  static final String[] SPLIT3 = CardSearchCliTest.SPLIT3;

  @TempDir Path dir;

  private Path fixture(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = getClass().getResourceAsStream("/fixtures/f02_split3/" + name)) {
      Files.copy(in, to);
    }
    return to;
  }

  private static Path write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static Set<String> notMedia(JsonNode ingest) {
    Set<String> files = new TreeSet<>();
    for (JsonNode r : ingest.get("recordings")) {
      if (r.get("findings").toString().contains("NOT_MEDIA")) {
        files.add(r.get("file").asText());
      }
    }
    return files;
  }

  /**
   * A 5-byte note and a camera's settings file beside three recordings: ingest seals both as not
   * media; analyze lists both as not media with the probe's reason and analyses the recordings,
   * with no finding. An MP3 whose tag is cut short starts as a recording, and a zeroed clip is
   * named as one: each is a recording that could not be read, as before.
   */
  @Test
  void aFileThatIsNoMediaIsNotAMissingRecording() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    for (String name : SPLIT3) {
      fixture(name, card.resolve("DCIM/100MEDIA/" + name));
    }
    Path note = write(card.resolve("DCIM/notes.txt"), "hello");
    Path ini = write(card.resolve("config.ini"), "[camera]\r\nzone=+8\r\n");

    Run analyze = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertEquals(0, analyze.code(), analyze.out() + analyze.err());
    assertTrue(analyze.out().contains("no findings"), analyze.out());
    assertFalse(analyze.out().contains("RECORDING_MISSING"), analyze.out());
    assertTrue(
        analyze.out().contains("NOT_MEDIA " + note + ": only 5 bytes: not a media file"),
        analyze.out());
    assertTrue(
        analyze.out().contains("NOT_MEDIA " + ini + ": not a media file this library reads"),
        analyze.out());
    assertTrue(analyze.out().contains("it looks like text"), analyze.out());

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
    assertEquals(
        new TreeSet<>(Set.of(note.toString(), ini.toString())),
        notMedia(new ObjectMapper().readTree(ingest.out())));

    Path cut = card.resolve("DCIM/100MEDIA/REC0001.MP3");
    Files.write(cut, new byte[] {'I', 'D', '3', 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f});
    Run damaged = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertEquals(1, damaged.code(), damaged.out() + damaged.err());
    assertTrue(damaged.out().contains("RECORDING_MISSING"), damaged.out());
    assertTrue(damaged.out().contains("REC0001.MP3 was listed"), damaged.out());
    assertFalse(damaged.out().contains("NOT_MEDIA " + cut), damaged.out());

    // a clip whose blocks were zeroed starts as nothing, and its name says what it was
    Files.delete(cut);
    Path zeroed = card.resolve("DCIM/100MEDIA/REC0002.MP4");
    Files.write(zeroed, new byte[4096]);
    Run lost = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertEquals(1, lost.code(), lost.out() + lost.err());
    assertTrue(lost.out().contains("REC0002.MP4 was listed"), lost.out());
  }

  /**
   * A recording dragged to the trash of a Mac and a note: the text summary counts both beside the
   * report's own, and the JSON on standard output holds the lists that went only to standard error
   * (which stays as it was, for readers of it).
   */
  @Test
  void theSummaryAndTheJsonCountWhatWasFoundInTheTrash() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    fixture(SPLIT3[0], card.resolve("DCIM/100MEDIA/" + SPLIT3[0]));
    fixture(SPLIT3[1], card.resolve("DCIM/100MEDIA/" + SPLIT3[1]));
    Path deleted = fixture(SPLIT3[2], card.resolve(".Trashes/501/" + SPLIT3[2]));
    Path note = write(card.resolve("DCIM/notes.txt"), "hello");

    Run text = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--lang", "en");
    assertEquals(0, text.code(), text.out() + text.err());
    assertTrue(
        text.out()
            .contains(
                "card: 4 file(s) found, 3 analysed, 0 could not be read; 1 found in a trash"
                    + " folder (FOUND_IN_TRASH, warning), 1 not media (NOT_MEDIA), 0 not placed"
                    + " (NOT_PLACED); 0 skipped"),
        text.out());

    Run json = CliTest.run("analyze", card.toString(), "--device", "DEVCAM7", "--json");
    assertEquals(0, json.code(), json.out() + json.err());
    JsonNode found = new ObjectMapper().readTree(json.out()).get("card");
    assertTrue(found != null, json.out());
    assertEquals(4, found.get("files").asInt());
    assertEquals(3, found.get("analysed").asInt());
    assertEquals(1, found.get("foundInTrash").size(), found.toString());
    assertEquals(deleted.toString(), found.get("foundInTrash").get(0).get("file").asText());
    assertEquals(
        card.resolve(".Trashes").toAbsolutePath().toString(),
        found.get("foundInTrash").get(0).get("trashFolder").asText());
    assertEquals(1, found.get("notMedia").size(), found.toString());
    assertEquals(note.toString(), found.get("notMedia").get(0).get("file").asText());
    assertTrue(
        found.get("notMedia").get(0).get("reason").asText().startsWith("only 5 bytes"),
        found.toString());
    assertEquals(0, found.get("notPlaced").size());
    assertEquals(0, found.get("skipped").size());
    // the lines on standard error are kept for whoever reads them there
    assertTrue(json.err().contains("FOUND_IN_TRASH " + deleted), json.err());
  }
}
