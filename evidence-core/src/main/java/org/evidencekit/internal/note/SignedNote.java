package org.evidencekit.internal.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines
 * {@code — <key name> base64(32-bit key id || signature)}. Parsing keeps the text's bytes exactly
 * as written, because signatures are checked over those bytes and nothing else.
 */
public final class SignedNote {
  /** Largest note accepted; a checkpoint with many cosignatures is a few KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Most signature lines accepted (the format asks verifiers to accept at least 16). */
  public static final int MAX_SIGNATURES = 100;

  private static final String DASH = "\u2014 ";

  /** One signature line. */
  public static final class Signature {
    private final String name;
    private final int keyId;
    private final byte[] value;

    public Signature(String name, int keyId, byte[] value) {
      if (!validName(name)) {
        throw new IllegalArgumentException("bad note key name '" + name + "'");
      }
      this.name = name;
      this.keyId = keyId;
      this.value = value.clone();
    }

    public String name() {
      return name;
    }

    public int keyId() {
      return keyId;
    }

    /** The signature bytes after the key id. */
    public byte[] value() {
      return value.clone();
    }

    /** The line as written, newline included. */
    public byte[] line() {
      byte[] raw = ByteBuffer.allocate(4 + value.length).putInt(keyId).put(value).array();
      return (DASH + name + " " + Base64.getEncoder().encodeToString(raw) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private final byte[] text;
  private final List<Signature> signatures;

  private SignedNote(byte[] text, List<Signature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  public static SignedNote of(byte[] text, List<Signature> signatures) {
    checkText(text);
    if (signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("more than " + MAX_SIGNATURES + " signatures");
    }
    return new SignedNote(text.clone(), signatures);
  }

  static boolean validName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20) {
        return false;
      }
    }
    return true;
  }

  private static void checkText(byte[] text) {
    if (text.length == 0 || text[text.length - 1] != '\n') {
      throw new IllegalArgumentException("the note text must end with a newline");
    }
  }

  /** The signed text, final newline included, as written. */
  public byte[] text() {
    return text.clone();
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /** This note with one more signature line (a line with the same name and key id replaced). */
  public SignedNote with(Signature s) {
    List<Signature> out = new ArrayList<>();
    for (Signature o : signatures) {
      if (!(o.name.equals(s.name) && o.keyId == s.keyId)) {
        out.add(o);
      }
    }
    out.add(s);
    return of(text, out);
  }

  /** The note as written: text, blank line, signature lines. */
  public byte[] encoded() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(text);
    out.write('\n');
    for (Signature s : signatures) {
      out.writeBytes(s.line());
    }
    return out.toByteArray();
  }

  /**
   * Parses a note: valid UTF-8 without control characters other than newline, the text separated
   * from the signatures by the last blank line, at least one well-formed signature line.
   */
  public static SignedNote parse(byte[] note) {
    if (note.length > MAX_BYTES) {
      throw new IllegalArgumentException("a note larger than " + MAX_BYTES + " bytes");
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a note must be valid UTF-8");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException("a note must not contain control characters");
      }
    }
    if (!s.endsWith("\n")) {
      throw new IllegalArgumentException("a note must end with a newline");
    }
    int blank = s.lastIndexOf("\n\n");
    if (blank < 0) {
      throw new IllegalArgumentException("a note needs a blank line before its signatures");
    }
    byte[] text = s.substring(0, blank + 1).getBytes(StandardCharsets.UTF_8);
    String block = s.substring(blank + 2);
    List<Signature> sigs = new ArrayList<>();
    for (String line : block.split("\n", -1)) {
      if (line.isEmpty()) {
        continue; // the split leaves one empty string after the final newline
      }
      if (!line.startsWith(DASH)) {
        throw new IllegalArgumentException("a signature line must start with an em dash and space");
      }
      String rest = line.substring(DASH.length());
      int sp = rest.indexOf(' ');
      if (sp <= 0) {
        throw new IllegalArgumentException("a signature line needs a key name and a signature");
      }
      String name = rest.substring(0, sp);
      String b64 = rest.substring(sp + 1);
      if (!validName(name)) {
        throw new IllegalArgumentException("bad key name in a signature line: '" + name + "'");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a signature is not base64: " + e.getMessage());
      }
      if (raw.length < 5 || !Base64.getEncoder().encodeToString(raw).equals(b64)) {
        throw new IllegalArgumentException("a malformed signature in the line of " + name);
      }
      if (sigs.size() == MAX_SIGNATURES) {
        throw new IllegalArgumentException("more than " + MAX_SIGNATURES + " signatures");
      }
      sigs.add(
          new Signature(
              name, ByteBuffer.wrap(raw).getInt(), Arrays.copyOfRange(raw, 4, raw.length)));
    }
    if (sigs.isEmpty()) {
      throw new IllegalArgumentException("a note without signatures");
    }
    if (!block.endsWith("\n")) {
      throw new IllegalArgumentException("a note must end with a newline");
    }
    return new SignedNote(text, sigs);
  }
}
