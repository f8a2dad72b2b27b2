package org.evidencekit.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.evidencekit.seal.NotASealException;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.junit.jupiter.api.Test;

/** Wrong files are named for what they are, so errors need not quote a parser. */
class FileKindTest {
  private static String kind(byte[] b) {
    return FileKind.describe(b).orElseThrow();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void namesCommonFiles() {
    assertEquals("an MP4 file", kind(ascii("\0\0\0\u0018ftypisom\0\0\0\0")));
    assertEquals("a WAV file", kind(ascii("RIFF\u0024\0\0\0WAVEfmt ")));
    assertEquals("an AMR audio file", kind(ascii("#!AMR\n")));
    assertEquals("a PDF", kind(ascii("%PDF-1.7\n")));
    assertEquals("a PEM public key", kind(ascii("-----BEGIN PUBLIC KEY-----\nMCo=\n")));
    assertEquals("a PEM private key", kind(ascii("-----BEGIN EC PRIVATE KEY-----\n")));
    assertEquals("a JSON object", kind("\ufeff  {\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("an empty file", kind(new byte[0]));
    assertEquals("text", kind(ascii("hello\n")));
    assertEquals("binary data", kind(new byte[] {1, 2, 0, 3}));
  }

  @Test
  void onlyAJsonObjectStartsLikeASeal() {
    assertTrue(FileKind.startsLikeJsonObject(ascii(" \n{\"format\":1}")));
    assertFalse(FileKind.startsLikeJsonObject(ascii("[1]")));
    assertFalse(FileKind.startsLikeJsonObject(ascii("\0\0\0\u0018ftypisom")));
  }

  @Test
  void aSealParserSaysWhatItGotInstead() {
    SealFormatException e =
        assertThrows(
            NotASealException.class, () -> Seal.parse(ascii("\0\0\0\u0018ftypisom\0\0\0\0mdat")));
    assertEquals("not a seal (it looks like an MP4 file)", e.getMessage());
    e = assertThrows(NotASealException.class, () -> Seal.parse(new byte[0]));
    assertEquals("not a seal (it is empty)", e.getMessage());
    // JSON that is not a valid seal is a damaged seal, not a mix-up of files
    SealFormatException damaged =
        assertThrows(SealFormatException.class, () -> Seal.parse(ascii("{\"format\":1}")));
    assertFalse(damaged instanceof NotASealException, damaged.toString());
  }
}
