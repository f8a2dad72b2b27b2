package org.evidencekit.continuity;

/** A finding's sentence, written when it is read: in the reader's language and time zone. */
@FunctionalInterface
interface Message {
  String render(TextStyle style);
}
