package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The library's one table of signatures, from the first bytes of what cameras, recorders and
 * offices write: what each is called, its kind, whether it is a recording's format and whether the
 * probe reads it. Each head is built as the format's specification lays it out.
 */
class FileSignatureTest {
  private record Case(
      String name, byte[] head, String description, String kind, boolean recorded) {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  /** Two transport stream packets, each after a time code of {@code timeCode} bytes. */
  private static byte[] transportStream(int timeCode) {
    byte[] b = new byte[2 * (188 + timeCode)];
    for (int packet = 0; packet < 2; packet++) {
      int at = packet * (188 + timeCode) + timeCode;
      b[at] = 0x47;
      b[at + 1] = 0x40; // payload unit start, PID 0: the programme table
      b[at + 3] = 0x10;
    }
    return b;
  }

  @Test
  void eachFormatIsNamedWithItsKind() {
    String no = ", which this library does not read";
    List<Case> cases =
        List.of(
            new Case(
                "mp4", ascii("\0\0\0\u0018ftypisom"), "an ISO media file (MP4/MOV)", "video", true),
            new Case(
                "mov",
                ascii("\0\0\0\u0008wide\0\0\0\0mdat"),
                "an ISO media file (MP4/MOV)",
                "video",
                true),
            new Case("wav", ascii("RIFF\u0024\0\0\0WAVEfmt "), "a WAV audio", "audio", true),
            new Case(
                "rf64",
                ascii("RF64\u00ff\u00ff\u00ff\u00ffWAVEds64"),
                "a WAV audio",
                "audio",
                true),
            new Case("avi", ascii("RIFF\0\0\0\0AVI LIST"), "an AVI video" + no, "video", true),
            new Case("riff", ascii("RIFF\0\0\0\0WEBPVP8 "), "a RIFF file", "other", true),
            new Case(
                "id3",
                ascii("ID3\u0004\0\0\0\0\0\0"),
                "an MP3 audio (with an ID3 tag)",
                "audio",
                true),
            new Case("mp3", bytes(0xff, 0xfb, 0x90, 0x64), "an MP3 audio", "audio", true),
            new Case("amr", ascii("#!AMR\n"), "an AMR audio", "audio", true),
            new Case(
                "flv", ascii("FLV\u0001\u0005\0\0\0\u0009"), "an FLV video" + no, "video", true),
            new Case("jpeg", bytes(0xff, 0xd8, 0xff, 0xe1), "a JPEG image", "image", true),
            new Case(
                "ps", bytes(0, 0, 1, 0xba, 0x44), "an MPEG program stream" + no, "video", true),
            new Case(
                "mkv",
                bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f),
                "a Matroska/WebM video" + no,
                "video",
                true),
            new Case(
                "asf",
                bytes(0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66),
                "an ASF/WMV file" + no,
                "video",
                true),
            new Case("ts", transportStream(0), "an MPEG transport stream" + no, "video", true),
            new Case(
                "mts",
                transportStream(4),
                "an MPEG transport stream with time codes (M2TS/MTS)" + no,
                "video",
                true),
            new Case("pdf", ascii("%PDF-1.7\n%\u00e2\u00e3"), "a PDF document", "other", false),
            new Case("png", bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a), "a PNG image", "image", false),
            new Case(
                "zip",
                bytes('P', 'K', 3, 4, 20, 0),
                "a ZIP archive (or an Office document)",
                "other",
                false),
            new Case("text", ascii("[camera]\r\nzone=+8\r\n"), "text", "other", false));
    for (Case c : cases) {
      FileSignature s =
          FileSignature.of(ByteBuffer.wrap(c.head()))
              .orElseThrow(() -> new AssertionError(c.name()));
      assertEquals(c.description(), s.description(), c.name());
      assertEquals(c.kind(), s.kind(), c.name());
      assertEquals(c.recorded(), s.recorded(), c.name());
    }
  }

  /** The probe reads ISO media, WAV, AMR and MP3: only those are "probed". */
  @Test
  void probedAreTheFormatsTheProbeReads() {
    for (String head :
        List.of("\0\0\0\u0018ftypisom", "RIFF\u0024\0\0\0WAVEfmt ", "#!AMR\n", "ID3\u0004")) {
      assertEquals(
          true, FileSignature.of(ByteBuffer.wrap(ascii(head))).orElseThrow().probed(), head);
    }
    for (String head : List.of("RIFF\0\0\0\0AVI LIST", "%PDF-1.7\n%\u00e2", "hello, world")) {
      assertEquals(
          false, FileSignature.of(ByteBuffer.wrap(ascii(head))).orElseThrow().probed(), head);
    }
  }

  /**
   * Unknown bytes, a head too short to tell and a text that starts with the transport stream's sync
   * byte are not named as a format they are not; the buffer given is left where it was.
   */
  @Test
  void nothingIsGuessed() {
    assertEquals(
        Optional.empty(), FileSignature.of(ByteBuffer.wrap(bytes(0, 1, 2, 3, 4, 5, 6, 7))));
    assertEquals(Optional.empty(), FileSignature.of(ByteBuffer.wrap(bytes(0xff))));
    byte[] gps = ascii(("GPS 2026-12-01 08:30:00 N31.2304 E121.4737 100\n").repeat(6));
    assertEquals(true, gps.length > 188 && gps[188] == 'G');
    ByteBuffer head = ByteBuffer.wrap(gps);
    assertEquals("text", FileSignature.of(head).orElseThrow().description());
    assertEquals(0, head.position());
  }
}
