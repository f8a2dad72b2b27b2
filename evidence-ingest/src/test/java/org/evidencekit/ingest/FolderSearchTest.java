package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card a Windows PC and a Mac have mounted: besides the camera's recordings it holds Explorer's
 * thumbnail cache and folder settings, the recycle bin's records, the volume icon and the Spotlight
 * marker. Those are listed as debris, known by place and bytes; a recording deleted to the recycle
 * bin is ingested and shown as found in the trash; the search the station makes is
 * {@link FolderSearch}, the one {@code evidence analyze} makes too.
 */
class FolderSearchTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");

  /** The folder of one Windows user's deleted files in the recycle bin. */
  static final String BIN = "$RECYCLE.BIN/S-1-5-21-1004336348-1177238915-682003330-1001";

  @TempDir Path dir;

  /** Thumbs.db as Explorer writes it: an OLE2 compound file, its 512-byte header, then sectors. */
  static byte[] thumbsDb() {
    ByteBuffer b = ByteBuffer.allocate(3584).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0});
    b.put(new byte[] {(byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1});
    b.position(24);
    b.putShort((short) 0x3e).putShort((short) 3).putShort((short) 0xfffe).putShort((short) 9);
    return b.array();
  }

  /** An INI text with Explorer's {@code [.ShellClassInfo]} section, UTF-16LE with its mark. */
  static byte[] desktopIniUtf16(String body) {
    byte[] text = ("\r\n[.ShellClassInfo]\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_16LE);
    byte[] b = new byte[text.length + 2];
    b[0] = (byte) 0xff;
    b[1] = (byte) 0xfe;
    System.arraycopy(text, 0, b, 2, text.length);
    return b;
  }

  /**
   * A recycle bin's {@code $I} record (version 2): the deleted file's size, when it was deleted (a
   * FILETIME) and its original path, UTF-16LE.
   */
  static byte[] recycleRecord(String originalPath, long size) {
    byte[] path = (originalPath + "\0").getBytes(StandardCharsets.UTF_16LE);
    ByteBuffer b = ByteBuffer.allocate(28 + path.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(2).putLong(size).putLong(133300000000000000L).putInt(path.length / 2).put(path);
    return b.array();
  }

  /** A volume icon: "icns", its length, and one 16x16 image element. */
  static byte[] volumeIcon() {
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 64);
    b.put("icns".getBytes(StandardCharsets.US_ASCII)).putInt(80);
    b.put("is32".getBytes(StandardCharsets.US_ASCII)).putInt(72);
    return b.array();
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    return Files.copy(from, to);
  }

  @Test
  void windowsAndMacDebrisIsListedAndARecycledRecordingIsIngestedAsFoundInTheTrash()
      throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path camera = Fixtures.folder("f02_split3", dir);
    Path media = card.resolve("DCIM/100MEDIA");
    Path first = copy(camera.resolve(Fixtures.SPLIT3[0]), media.resolve(Fixtures.SPLIT3[0]));
    Path last = copy(camera.resolve(Fixtures.SPLIT3[2]), media.resolve(Fixtures.SPLIT3[2]));
    // the middle file was deleted in Explorer: the bin keeps its bytes as $R..., its name as $I...
    Path recycled = copy(camera.resolve(Fixtures.SPLIT3[1]), card.resolve(BIN + "/$R8K2QJ4.mp4"));
    // a recording in another container, deleted too
    Path recycledStream =
        Fixtures.copy(
            "fixtures/recycled-transport-stream/DEVCAM7_20230601_141000_001.ts",
            card.resolve(BIN + "/$RT0A1B2.ts"));

    Map<Path, String> debris = new TreeMap<>();
    debris.put(write(media.resolve("Thumbs.db"), thumbsDb()), "Thumbs.db");
    debris.put(
        write(
            card.resolve("desktop.ini"),
            "; written by Explorer\r\n[.ShellClassInfo]\r\nIconResource=DCIM\\cam.ico,0\r\n"
                .getBytes(StandardCharsets.US_ASCII)),
        "desktop.ini");
    debris.put(
        write(
            card.resolve(BIN + "/desktop.ini"),
            desktopIniUtf16(
                "CLSID={645FF040-5081-101B-9F08-00AA002F954E}\r\n"
                    + "LocalizedResourceName=@%SystemRoot%\\system32\\shell32.dll,-8964")),
        "desktop.ini");
    debris.put(
        write(
            card.resolve(BIN + "/$I8K2QJ4.mp4"),
            recycleRecord("E:\\DCIM\\100MEDIA\\" + Fixtures.SPLIT3[1], Files.size(recycled))),
        "$RECYCLE.BIN");
    // a deleted file that is no recording: its bytes say so, and it lies in the bin
    debris.put(
        write(
            card.resolve(BIN + "/$RNOTES1.txt"),
            "shift notes, not a recording\r\n".getBytes(StandardCharsets.US_ASCII)),
        "$RECYCLE.BIN");
    debris.put(write(card.resolve(".VolumeIcon.icns"), volumeIcon()), ".VolumeIcon.icns");
    debris.put(write(card.resolve(".metadata_never_index"), new byte[0]), "Spotlight");

    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(card).build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
              .build()
              .ingest(request);

      Map<Path, String> skipped = new TreeMap<>();
      r.skipped().forEach(s -> skipped.put(s.path(), s.reason()));
      assertEquals(debris.keySet(), skipped.keySet(), "exactly the debris is listed: " + skipped);
      debris.forEach(
          (p, kind) ->
              assertTrue(
                  skipped.get(p).startsWith("operating system debris")
                      && skipped.get(p).contains(kind),
                  p + ": " + skipped.get(p)));

      Map<Path, IngestedRecording> ingested = new TreeMap<>();
      r.recordings().forEach(x -> ingested.put(x.source().file().orElseThrow(), x));
      assertEquals(Set.of(first, last, recycled, recycledStream), ingested.keySet());
      ingested.values().forEach(x -> assertEquals(IngestStatus.INGESTED, x.status(), x::toString));

      // the officer sees that two recordings came out of the trash, and which trash
      Path bin = card.resolve("$RECYCLE.BIN").toAbsolutePath();
      for (Path p : List.of(recycled, recycledStream)) {
        List<IngestFinding> inTrash = trashFindings(ingested.get(p));
        assertEquals(1, inTrash.size(), p + ": " + ingested.get(p).findings());
        assertEquals(IngestFinding.Severity.WARNING, inTrash.get(0).severity());
        assertTrue(inTrash.get(0).message().contains(bin.toString()), inTrash.get(0).message());
      }
      assertEquals(List.of(), trashFindings(ingested.get(first)));
      assertEquals(List.of(), trashFindings(ingested.get(last)));

      // the search analyze makes lists the same files and the same skipped paths and reasons
      FolderSearch search = FolderSearch.of(List.of(card), List.of());
      assertEquals(ingested.keySet(), new TreeSet<>(search.files()));
      assertEquals(r.skipped(), search.skipped());
    }
  }

  private static List<IngestFinding> trashFindings(IngestedRecording r) {
    return r.findings().stream()
        .filter(f -> f.code().equals(IngestCodes.FOUND_IN_TRASH))
        .collect(Collectors.toList());
  }

  /**
   * A recording is never debris, whatever it is named and wherever it lies: renamed like Explorer's
   * or the Finder's files, or put in a system folder or the bin, it is a file to ingest.
   */
  @Test
  void aRecordingNamedOrPlacedLikeDebrisIsARecording() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path camera = Fixtures.folder("f02_split3", dir);
    Path clip = camera.resolve(Fixtures.SPLIT3[0]);
    Set<Path> recordings = new TreeSet<>();
    for (String name :
        List.of(
            "DCIM/Thumbs.db",
            "desktop.ini",
            ".VolumeIcon.icns",
            ".metadata_never_index",
            BIN + "/desktop.ini",
            BIN + "/$I8K2QJ4.mp4",
            "$Recycle.Bin/clip.mp4",
            "System Volume Information/clip.mp4")) {
      recordings.add(copy(clip, card.resolve(name)));
    }
    // named like the Spotlight marker, but not empty; an INI's name on a file of another text
    recordings.add(write(card.resolve("DCIM/.metadata_never_index"), new byte[] {'1'}));
    recordings.add(
        write(card.resolve("DCIM/desktop.ini"), "notes\r\n".getBytes(StandardCharsets.US_ASCII)));

    FolderSearch search = FolderSearch.of(List.of(card), List.of());
    assertEquals(List.of(), search.skipped());
    assertEquals(recordings, new TreeSet<>(search.files()));
  }

  /**
   * A card copied or mounted below a folder named like a trash (Linux's {@code .Trash-1000} on the
   * station's disk, a Mac volume's {@code .Trashes}, a copy kept in {@code ~/$RECYCLE.BIN/}) holds
   * no deleted recording for it: only the path below the folder given says what was deleted on the
   * card, and a clip in the card's own trash still says so, naming that trash.
   */
  @Test
  void aCardBelowAFolderNamedLikeATrashIsNotInTheTrash() throws Exception {
    Path camera = Fixtures.folder("f02_split3", dir);
    for (String above : List.of(".Trash-1000", ".Trashes/501", "$RECYCLE.BIN/copy", "RECYCLER")) {
      Path card = Files.createDirectories(dir.resolve(above).resolve("card"));
      Path kept =
          copy(
              camera.resolve(Fixtures.SPLIT3[0]),
              card.resolve("DCIM/100MEDIA").resolve(Fixtures.SPLIT3[0]));
      Path deleted =
          copy(camera.resolve(Fixtures.SPLIT3[1]), card.resolve(".Trashes/501/deleted.mp4"));
      IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(card).build();
      try (EvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(
              Files.createTempDirectory(dir, "store"), Clock.systemUTC())) {
        IngestResult r =
            IngestStation.builder()
                .store(store)
                .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
                .build()
                .ingest(request);
        Map<Path, IngestedRecording> ingested = new TreeMap<>();
        r.recordings().forEach(x -> ingested.put(x.source().file().orElseThrow(), x));
        assertEquals(Set.of(kept, deleted), ingested.keySet(), above);
        assertEquals(List.of(), trashFindings(ingested.get(kept)), above);
        List<IngestFinding> inTrash = trashFindings(ingested.get(deleted));
        assertEquals(1, inTrash.size(), above + ": " + inTrash);
        assertTrue(
            inTrash
                .get(0)
                .message()
                .contains("trash folder " + card.resolve(".Trashes").toAbsolutePath() + ":"),
            inTrash.get(0).message());
      }
    }
  }

  /**
   * Every trash a card may hold, in the case a FAT volume shows it; elsewhere none. A file named
   * one by one is taken as it is, wherever it lies: no folder of the card was named to judge it by.
   */
  @Test
  void aFileIsInTheTrashOfWindowsMacOrLinux() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Map<String, String> trashOf =
        Map.of(
            "$Recycle.Bin/S-1-5-21-1/$RAB12CD.mp4", "$Recycle.Bin",
            "RECYCLER/S-1-5-21-1/Dc1.mp4", "RECYCLER",
            ".Trashes/501/clip.mp4", ".Trashes",
            ".Trash-1000/files/clip.mp4", ".Trash-1000",
            ".Trash/1000/files/clip.mp4", ".Trash");
    for (String name : trashOf.keySet()) {
      // a JPEG's first bytes: what lies in the recycle bin is debris unless it starts as a
      // recording
      write(card.resolve(name), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
    }
    List<String> elsewhere = List.of("DCIM/clip.mp4", ".Trashy/clip.mp4", "Trash-1000/clip.mp4");
    for (String name : elsewhere) {
      write(card.resolve(name), new byte[] {1});
    }
    FolderSearch search = FolderSearch.of(List.of(card), List.of());
    for (var e : trashOf.entrySet()) {
      assertEquals(
          Optional.of(card.resolve(e.getValue()).toAbsolutePath()),
          search.trashFolder(card.resolve(e.getKey())),
          e.getKey());
    }
    for (String name : elsewhere) {
      assertEquals(Optional.empty(), search.trashFolder(card.resolve(name)), name);
    }
    // the trash named itself: what is in it was deleted there
    Path trashes = card.resolve(".Trashes");
    assertEquals(
        Optional.of(trashes.toAbsolutePath()),
        FolderSearch.of(List.of(trashes), List.of()).trashFolder(trashes.resolve("501/clip.mp4")));
    Path named = card.resolve(".Trashes/501/clip.mp4");
    assertEquals(Optional.empty(), FolderSearch.of(List.of(named), List.of()).trashFolder(named));
  }

  /**
   * A file named one by one and found again in a folder named is taken once, listed the second
   * time; a seal file is listed, a folder left out is not searched.
   */
  @Test
  void aFileReachedTwiceIsTakenOnce() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path camera = Fixtures.folder("f02_split3", card);
    Path one = camera.resolve(Fixtures.SPLIT3[0]);
    Path seal =
        write(
            camera.resolve(Fixtures.SPLIT3[0] + ".seal.json"),
            "{}".getBytes(StandardCharsets.UTF_8));
    Path store = Files.createDirectories(card.resolve("store"));
    write(store.resolve("objects/x"), new byte[] {1});

    FolderSearch search = FolderSearch.of(List.of(one, card), List.of(store));
    assertEquals(
        List.of(one, camera.resolve(Fixtures.SPLIT3[1]), camera.resolve(Fixtures.SPLIT3[2])),
        search.files());
    assertEquals(
        List.of(
            new SkippedInput(one, "named twice"),
            new SkippedInput(seal, "a seal file, not a recording")),
        search.skipped());
  }
}
