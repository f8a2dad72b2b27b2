package org.evidencekit.crypt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.Hostile;
import org.evidencekit.InMemoryChannel;
import org.evidencekit.seal.Seal;

/**
 * Encrypted recordings under attack (R-11: ciphertext at rest is read back from storage anyone with
 * write access could have altered): a damaged header or body is refused with an {@link IOException}
 * ({@link DecryptionException} and its kin) at open or on reading, quickly.
 */
class HostileInputProperties {
  static final List<StreamingEncryptionTest.Sealed> VALID = valid();

  static List<StreamingEncryptionTest.Sealed> valid() {
    try {
      List<StreamingEncryptionTest.Sealed> out = new ArrayList<>();
      out.add(StreamingEncryptionTest.encrypt(AeadSuite.AES_256_GCM, new byte[0], 1));
      out.add(
          StreamingEncryptionTest.encrypt(
              AeadSuite.SM4_GCM, StreamingEncryptionTest.random(300, 1), 100));
      out.add(
          StreamingEncryptionTest.encrypt(
              AeadSuite.AES_256_GCM,
              StreamingEncryptionTest.random(2 * StreamingEncryptionTest.SEG + 5, 2),
              4096));
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An index into {@link #VALID} followed by the damaged ciphertext. */
  record Damaged(int which, byte[] ciphertext) {}

  @Provide
  Arbitrary<Damaged> ciphertexts() {
    return Arbitraries.randoms()
        .map(
            r -> {
              int which = r.nextInt(VALID.size());
              byte[] ct = VALID.get(which).ciphertext();
              int n = 1 + r.nextInt(3);
              if (r.nextInt(4) == 0) {
                // anywhere: body, tags, the end
                for (int i = 0; i < n; i++) {
                  ct = Hostile.mutate(ct.clone(), r);
                }
                return new Damaged(which, ct);
              }
              // mostly the header (magic, version, suite, segment size, key id, wrapped key)
              int cut = Math.min(ct.length, 96);
              byte[] head = Arrays.copyOf(ct, cut);
              for (int i = 0; i < n; i++) {
                head = Hostile.mutate(head, r);
              }
              byte[] out = Arrays.copyOf(head, head.length + ct.length - cut);
              System.arraycopy(ct, cut, out, head.length, ct.length - cut);
              return new Damaged(which, out);
            });
  }

  @Property(tries = 800)
  void aDamagedCiphertextIsRefusedWithAnIoException(@ForAll("ciphertexts") Damaged d) {
    Seal seal = VALID.get(d.which()).seal();
    Hostile.check(
        "EncryptedRecording.open",
        d.ciphertext(),
        b -> {
          EncryptedRecording.looksEncrypted(new InMemoryChannel(b));
          EncryptedRecording r =
              EncryptedRecording.open(
                  new InMemoryChannel(b), seal, List.of(StreamingEncryptionTest.KEK));
          if (r.plaintextLength() > 0) {
            r.read(r.plaintextLength() - 1, 1);
          }
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          r.decryptTo(Channels.newChannel(out));
          return out.size();
        },
        IOException.class);
  }

  @Property(tries = 300)
  void randomBytesAreNotACiphertext(@ForAll("randomBytes") byte[] input) {
    Seal seal = VALID.get(1).seal();
    Hostile.check(
        "EncryptedRecording.open",
        input,
        b ->
            EncryptedRecording.open(
                new InMemoryChannel(b), seal, List.of(StreamingEncryptionTest.KEK)),
        IOException.class);
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Hostile.randomBytes(700);
  }
}
