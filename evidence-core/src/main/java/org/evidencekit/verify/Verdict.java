package org.evidencekit.verify;

/** The outcome of a verification. A closed set, so an enum. */
public enum Verdict {
  /** The content is exactly what was sealed and the seal is consistent. */
  INTACT,
  /** The content differs from what was sealed; the report names where. */
  TAMPERED,
  /** Nothing can be concluded about the content: the seal itself is damaged or inconsistent. */
  INCONCLUSIVE
}
