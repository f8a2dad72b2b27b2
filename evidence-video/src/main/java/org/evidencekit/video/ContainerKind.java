package org.evidencekit.video;

/** What kind of container a file is. */
public enum ContainerKind {
  /** ISO base media (MP4, {@code ftyp} brand isom/mp41/mp42/avc1/…). */
  MP4,
  /** QuickTime ({@code ftyp} brand {@code qt }, or no ftyp with QuickTime top-level boxes). */
  MOV,
  /** MP4 whose samples are described in movie fragments ({@code moof}). */
  FRAGMENTED_MP4,
  /**
   * RIFF/WAVE or RF64 audio: duration from the data size and format; the BWF {@code bext} time when
   * present. No per-sample timeline.
   */
  WAV,
  /** AMR-NB or AMR-WB speech (RFC 4867 storage format): 20 ms frames, counted. */
  AMR,
  /** MPEG audio layer II/III: frames counted (or the Xing/Info count). */
  MP3
}
