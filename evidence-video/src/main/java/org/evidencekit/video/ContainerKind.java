package org.evidencekit.video;

/** What kind of container a file is. */
public enum ContainerKind {
  /** ISO base media (MP4, {@code ftyp} brand isom/mp41/mp42/avc1/…). */
  MP4,
  /** QuickTime ({@code ftyp} brand {@code qt }, or no ftyp with QuickTime top-level boxes). */
  MOV,
  /** MP4 whose samples are described in movie fragments ({@code moof}). */
  FRAGMENTED_MP4,
  /** RIFF/WAVE audio. Recognised; timeline analysis is not available. */
  WAV
}
