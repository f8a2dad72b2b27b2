package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.Sealer;
import org.junit.jupiter.api.Test;

/**
 * A member name whose bytes are not UTF-8 is refused whatever was read before (R-05, RFC 7493). The
 * parser looked names up by their bytes in a table shared across documents, padding a name's last
 * four bytes with 0xFF: once "length" had been read, the bytes {@code "leng\xFFth"} were taken for
 * it unchecked, so a seal spelled with a byte that is no character read as the seal it would spell
 * (refused only when it came first, as jqwik found in StrictJsonParseProperties).
 */
class MemberNameBytesTest {
  private static byte[] withByte(String json, String name, int at) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    int i = json.indexOf("\"" + name + "\"") + 1 + at;
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, i);
    out[i] = (byte) 0xFF;
    System.arraycopy(b, i, out, i + 1, b.length - i);
    return out;
  }

  @Test
  void aNameWithAByteThatIsNoCharacterIsRefusedAfterTheNameItWouldSpell() throws IOException {
    StrictJson strict = new StrictJson(IOException::new);
    byte[] bad = {'{', '"', (byte) 0xFF, 'n', '"', ':', '1', '}'};
    assertThrows(IOException.class, () -> strict.parse(bad), "first");
    assertEquals(2, strict.parse("{\"n\":2}".getBytes(StandardCharsets.UTF_8)).get("n").intValue());
    IOException e = assertThrows(IOException.class, () -> strict.parse(bad), "after {\"n\":2}");
    assertTrue(e.getMessage().contains("0xFF"), e.getMessage());
  }

  @Test
  void aSealSpelledWithSuchAByteIsNotTheSeal() throws IOException {
    Seal seal =
        Sealer.builder()
            .build()
            .seal(
                java.nio.channels.Channels.newChannel(
                    new java.io.ByteArrayInputStream(new byte[1000])));
    String json = new String(seal.toJson(), StandardCharsets.UTF_8);
    assertEquals(seal.digest(), Seal.parse(seal.toJson()).digest()); // "length" has been read
    byte[] forged = withByte(json, "length", 4); // "leng\xFFth"
    assertThrows(SealFormatException.class, () -> Seal.parse(forged));
  }
}
