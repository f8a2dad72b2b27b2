package org.evidencekit.ledger;

import java.util.List;
import java.util.stream.Collectors;

/** What {@link EvidenceArchive#sweep} found, object by object. */
public final class SweepReport {
  /** The state of one recording or object. */
  public enum Status {
    /** Content matches the seal, and the seal is the one the ledger recorded. */
    OK,
    /** Content or seal changed, replaced, or unreadable. */
    DAMAGED,
    /** Logged as sealed (or has a seal) but the content is gone. */
    MISSING,
    /** Content and seal present but never logged as sealed. */
    UNLOGGED,
    /** An object that is neither a recording with a seal nor part of the ledger. */
    UNEXPECTED,
    /**
     * Encrypted, and no key-encryption key was given to check it: its ciphertext structure and
     * ledger entry were checked, its content was not. Never counted as OK.
     */
    NOT_CHECKED
  }

  /** One line of the report. */
  public static final class Item {
    private final Status status;
    private final String key;
    private final String detail;

    Item(Status status, String key, String detail) {
      this.status = status;
      this.key = key;
      this.detail = detail;
    }

    public Status status() {
      return status;
    }

    public String key() {
      return key;
    }

    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return status + " " + key + ": " + detail;
    }
  }

  private final List<Item> items;

  SweepReport(List<Item> items) {
    this.items = List.copyOf(items);
  }

  public List<Item> items() {
    return items;
  }

  public List<Item> items(Status status) {
    return items.stream().filter(i -> i.status == status).collect(Collectors.toList());
  }

  /** Whether every recording is OK and nothing is missing or unexpected. */
  public boolean clean() {
    return items.stream().allMatch(i -> i.status == Status.OK);
  }

  @Override
  public String toString() {
    return items.size()
        + " checked, "
        + items(Status.OK).size()
        + " ok, "
        + items(Status.DAMAGED).size()
        + " damaged, "
        + items(Status.MISSING).size()
        + " missing, "
        + items(Status.UNLOGGED).size()
        + " unlogged, "
        + items(Status.UNEXPECTED).size()
        + " unexpected"
        + (items(Status.NOT_CHECKED).isEmpty()
            ? ""
            : ", " + items(Status.NOT_CHECKED).size() + " encrypted and not checked (no key)");
  }
}
