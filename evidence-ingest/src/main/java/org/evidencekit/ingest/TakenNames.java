package org.evidencekit.ingest;

import java.util.List;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.ObjectKey;

/**
 * Where a recording goes when the key its device, day and name give it is taken by another
 * recording (R-13, R-14: two recordings of one name are both kept, never one turned away): the same
 * key with {@code ~} and the first {@value #HEX_DIGITS} hex digits of its seal's root before the
 * extension, {@code DEV/2024-05-01/VID_0001~0123456789abcdef.MP4}.
 *
 * <p>The root is the SHA-256 one when the seal has it, else its first algorithm's, so the key
 * follows from the bytes alone: every station and every re-run of the same recording (with the same
 * hash suite and segment size, which comparing seals needs anyway) derives the same key and finds
 * it "already here". Sixty-four bits make an accidental collision negligible: the recordings that
 * share one device, day and name are a handful, and even a million of them would collide with a
 * chance under one in 2<sup>25</sup>. A collision made on purpose (other bytes put at the derived
 * key) is refused like any taken key, loudly, nothing overwritten. The extension stays last so that
 * the key still says what kind of file it is, and the seal keeps the original file name.
 */
final class TakenNames {
  private TakenNames() {}

  /** Hex digits of the root in a derived key: 64 bits. */
  static final int HEX_DIGITS = 16;

  /**
   * The key derived from {@code taken} and the recording's seal.
   *
   * @throws IllegalArgumentException if the derived key is not a valid key (a name already at the
   *     length limit)
   */
  static ObjectKey derivedKey(ObjectKey taken, Seal seal) {
    HashAlgorithm h =
        seal.suite().algorithms().contains(HashAlgorithm.SHA256)
            ? HashAlgorithm.SHA256
            : seal.suite().algorithms().get(0);
    String tag = "~" + seal.root(h).hex().substring(0, HEX_DIGITS);
    String key = taken.value();
    int slash = key.lastIndexOf('/');
    int dot = key.lastIndexOf('.');
    // a dot that starts the name (".hidden") is not an extension's
    if (dot > slash + 1) {
      return ObjectKey.of(key.substring(0, dot) + tag + key.substring(dot));
    }
    return ObjectKey.of(key + tag);
  }

  /**
   * What became of a recording whose own key {@code taken} held other bytes, stored (or not) under
   * {@code derived}: said on every run, so that a person sees why its key is not its name.
   */
  static ArchiveWriter.Outcome storedElsewhere(
      ArchiveWriter.Outcome o, ObjectKey taken, ObjectKey derived) {
    List<IngestFinding> f = new java.util.ArrayList<>(o.findings());
    if (o.status() != IngestStatus.CONFLICT) {
      f.add(
          0,
          new IngestFinding(
              IngestCodes.NAME_TAKEN,
              IngestFinding.Severity.WARNING,
              taken.value()
                  + " holds another recording (other bytes under the same device, day and name:"
                  + " a file counter reset, a second card, an edited copy?); this one "
                  + (o.status().committedSomething() ? "is stored" : "was to be stored")
                  + " under "
                  + derived.value()
                  + ", the key derived from its content; both are kept"));
    } else {
      f.add(
          0,
          new IngestFinding(
              IngestCodes.KEY_TAKEN,
              IngestFinding.Severity.ERROR,
              taken.value()
                  + " holds another recording, and "
                  + derived.value()
                  + ", the key derived from this recording's content, is not free for it either"
                  + " (only someone who put other bytes there can have made it so); not stored"));
    }
    return new ArchiveWriter.Outcome(o.status(), o.seal(), o.ledgerIndex(), f, derived, null);
  }
}
