package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * The destruction register (销毁清册) of one execution of an approved plan: every recording the plan
 * offered for disposal and what became of it, who planned, approved and executed, when (the trusted
 * clock's time), signed by the executor's key. Stored create-only and kept for good as {@code
 * disposition/registers/<plan digest>/<batch>.json}; {@link #toText} prints it for the file. Format
 * {@value #FORMAT}.
 */
public final class DestructionRegister {
  public static final String FORMAT = "evidencekit.destruction-register/1";

  static final String PREFIX = "disposition/registers/";

  /**
   * Most registers read for one plan. Each run of the plan writes one, and a plan is run again only
   * to finish an interrupted or refused run, under approvals that expire: 10,000 runs is one a day
   * for 27 years. A store with millions planted under the plan would otherwise be read object by
   * object.
   */
  static final int MAX_REGISTERS = 10_000;

  /**
   * How much of an item's reason the printed register shows: enough for the longest the library
   * writes (a store's refusal naming the object key and the date it is retained until), while a
   * planted register cannot flood the page.
   */
  static final int REASON_PRINTED = 300;

  /** The registers of a plan, plural, for messages. */
  static final String WHAT = "destruction registers of a plan";

  /** What became of one recording. Registers store the names, so they never change. */
  public enum Outcome {
    /** Deleted now; the tombstone holds the content's SHA-256. */
    DISPOSED,

    /** Deleted by an earlier execution; nothing done now. */
    ALREADY_DISPOSED,

    /** An approver excluded it. */
    EXCLUDED,

    /** No longer disposable at execution (a hold, a case link, a longer rule, the history). */
    KEPT,

    /** The store refused the delete (its own retention or hold); the object is still there. */
    REFUSED,

    /** The object was already gone. */
    MISSING,

    /** Something failed (see the reason); nothing was deleted. */
    FAILED;

    static Outcome parse(String name) throws RetentionFormatException {
      for (Outcome o : values()) {
        if (o.name().equals(name)) {
          return o;
        }
      }
      throw new RetentionFormatException(
          "unknown outcome '" + name + "' in a destruction register");
    }
  }

  /** One line of the register. */
  public static final class Item {
    private final String recordingId;
    private final String objectKey;
    private final Outcome outcome;
    private final String contentSha256;
    private final String reason;

    Item(
        String recordingId,
        String objectKey,
        Outcome outcome,
        String contentSha256,
        String reason) {
      this.recordingId = recordingId;
      this.objectKey = objectKey;
      this.outcome = outcome;
      this.contentSha256 = contentSha256;
      this.reason = reason;
    }

    public String recordingId() {
      return recordingId;
    }

    /** Empty when the facts gave none. */
    public String objectKey() {
      return objectKey;
    }

    public Outcome outcome() {
      return outcome;
    }

    public Optional<String> contentSha256() {
      return Optional.ofNullable(contentSha256);
    }

    public String reason() {
      return reason;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("recording", recordingId);
      m.put("objectKey", objectKey);
      m.put("outcome", outcome.name());
      if (contentSha256 != null) {
        m.put("contentSha256", contentSha256);
      }
      m.put("reason", reason);
      return m;
    }

    @Override
    public String toString() {
      return recordingId + " " + outcome + (reason.isEmpty() ? "" : ": " + reason);
    }
  }

  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);
  private static final Set<String> FIELDS =
      Set.of(
          "format",
          "plan",
          "batch",
          "plannedBy",
          "approvers",
          "executedBy",
          "executedAt",
          "items",
          "signature");

  private final String planDigest;
  private final long batch;
  private final String plannedBy;
  private final List<String> approvers;
  private final String executedBy;
  private final Instant executedAt;
  private final List<Item> items;
  private final Signatures.Signature signature;

  private DestructionRegister(
      String planDigest,
      long batch,
      String plannedBy,
      List<String> approvers,
      String executedBy,
      Instant executedAt,
      List<Item> items,
      Signatures.Signature signature) {
    this.planDigest = planDigest;
    this.batch = batch;
    this.plannedBy = plannedBy;
    this.approvers = List.copyOf(approvers);
    this.executedBy = executedBy;
    this.executedAt = executedAt;
    this.items = List.copyOf(items);
    this.signature = signature;
  }

  static DestructionRegister sign(
      String planDigest,
      long batch,
      String plannedBy,
      List<String> approvers,
      String executedBy,
      Instant executedAt,
      List<Item> items,
      SigningKeyProvider key)
      throws IOException {
    DestructionRegister r =
        new DestructionRegister(
            planDigest, batch, plannedBy, approvers, executedBy, executedAt, items, null);
    Map<String, Object> s = Signatures.sign(key, r.payload());
    return new DestructionRegister(
        planDigest,
        batch,
        plannedBy,
        approvers,
        executedBy,
        executedAt,
        items,
        new Signatures.Signature(
            (String) s.get("suite"),
            (String) s.get("keyId"),
            key.publicKeyDer(),
            Base64.getDecoder().decode((String) s.get("value"))));
  }

  public String planDigest() {
    return planDigest;
  }

  /** 1 for the plan's first execution, 2 for the next, … */
  public long batch() {
    return batch;
  }

  public String plannedBy() {
    return plannedBy;
  }

  /** The approvers whose approvals allowed this execution, as "name (key id)". */
  public List<String> approvers() {
    return approvers;
  }

  public String executedBy() {
    return executedBy;
  }

  public Instant executedAt() {
    return executedAt;
  }

  public List<Item> items() {
    return items;
  }

  /** The items with the given {@link Outcome}. */
  public List<Item> items(Outcome outcome) {
    requireNonNull(outcome, "outcome");
    List<Item> out = new ArrayList<>();
    for (Item i : items) {
      if (i.outcome == outcome) {
        out.add(i);
      }
    }
    return out;
  }

  public String keyId() {
    return signature.keyId;
  }

  /** Whether the executor's signature verifies and the key is trusted. */
  public boolean verify(TrustAnchors executorKeys) {
    requireNonNull(executorKeys, "executorKeys");
    return signature.verify(payload(), executorKeys);
  }

  public String digest() {
    return HashAlgorithm.SHA256.hash(toJson()).hex();
  }

  private Map<String, Object> body() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("plan", planDigest);
    m.put("batch", batch);
    m.put("plannedBy", plannedBy);
    m.put("approvers", new ArrayList<Object>(approvers));
    m.put("executedBy", executedBy);
    m.put("executedAt", executedAt.toString());
    List<Object> is = new ArrayList<>(items.size());
    for (Item i : items) {
      is.add(i.toMap());
    }
    m.put("items", is);
    return m;
  }

  private byte[] payload() {
    return CanonicalJson.encode(body());
  }

  public byte[] toJson() {
    Map<String, Object> m = body();
    m.put("signature", signature.toMap());
    return CanonicalJson.encode(m);
  }

  /** The register as a page to print and sign by hand, dates in {@code zone}. */
  public String toText(ZoneId zone) {
    requireNonNull(zone, "zone");
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    StringBuilder b = new StringBuilder();
    b.append("销毁清册 / DESTRUCTION REGISTER\n");
    b.append("plan:        ").append(planDigest).append('\n');
    b.append("batch:       ").append(batch).append('\n');
    b.append("planned by:  ").append(plannedBy).append('\n');
    b.append("approved by: ").append(String.join("; ", approvers)).append('\n');
    b.append("executed by: ").append(executedBy).append('\n');
    b.append("executed at: ")
        .append(f.format(executedAt.atZone(zone)))
        .append(' ')
        .append(zone)
        .append(" (")
        .append(executedAt)
        .append(")\n");
    b.append("signed with: ").append(signature.keyId).append('\n');
    b.append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "%-5s %-17s %-40s %s%n",
            "NO.",
            "OUTCOME",
            "RECORDING",
            "CONTENT SHA-256 / REASON"));
    int n = 0;
    for (Item i : items) {
      n++;
      b.append(
          String.format(
              Locale.ROOT,
              "%-5d %-17s %-40s %s%n",
              n,
              i.outcome,
              CsvCell.printable(i.recordingId),
              i.reason == null || i.reason.isEmpty()
                  ? i.contentSha256
                  : CsvCell.printable(i.reason, REASON_PRINTED)));
      // an item with a reason (why it is still there, or when an earlier run destroyed it) prints
      // the reason first; its content's digest follows, for the record
      if (i.reason != null && !i.reason.isEmpty() && i.contentSha256 != null) {
        b.append(
            String.format(
                Locale.ROOT, "%-5s %-17s %-40s %s%n", "", "", "", "content " + i.contentSha256));
      }
    }
    b.append('\n');
    Map<Outcome, Integer> counts = new LinkedHashMap<>();
    for (Item i : items) {
      counts.merge(i.outcome, 1, Integer::sum);
    }
    b.append("totals:");
    String sep = " ";
    for (Map.Entry<Outcome, Integer> c : counts.entrySet()) {
      b.append(sep).append(c.getValue()).append(' ').append(c.getKey());
      sep = ", ";
    }
    b.append('\n');
    b.append("register digest: ").append(digest()).append('\n');
    b.append(
        "\nexecuted by (signature): ____________    records officer (signature): ____________\n");
    return b.toString();
  }

  /** Most items one register may list: ten times the recordings a plan is sized for. */
  static final int MAX_ITEMS = 10_000_000;

  /**
   * What the items of the registers read at once may take in the heap. A register is read as it
   * streams, item by item, so its text is never held whole nor built into a tree (some 25 times the
   * text: a genuine register of 100,000 items, 40 MB, could not be read in the 128 MiB heap its
   * plan was made in); what is kept is its items, and this bounds them, so a planted register of
   * millions of items within the byte bound is a precise error, not an {@code OutOfMemoryError}.
   */
  static final class Room {
    /*
     * Heap per item, from the JDK 17 layouts with compressed references: the Item (12 + 5
     * references, 32) and its slots in two lists (8), and each string's String and bytes (40 + its
     * length, twice that beyond Latin-1).
     */
    private static final long ITEM_BYTES = 40;
    private static final long STRING_BYTES = 40;

    private final long total;
    private long left;

    Room(long total) {
      this.total = total;
      this.left = total;
    }

    /** Half of this JVM's heap: the other half is for the caller and one item's tree. */
    static Room ofHeap() {
      return new Room(Runtime.getRuntime().maxMemory() / 2);
    }

    void take(Item i) throws RetentionFormatException {
      left -=
          ITEM_BYTES
              + string(i.recordingId)
              + string(i.objectKey)
              + string(i.reason)
              + (i.contentSha256 == null ? 0 : string(i.contentSha256));
      if (left < 0) {
        throw new RetentionFormatException(
            "too large to hold in memory: the items read would take more than "
                + (total >> 20)
                + " MiB, half of this JVM's heap (give it more with -Xmx if they are genuine)");
      }
    }

    private static long string(String s) {
      for (int k = 0; k < s.length(); k++) {
        if (s.charAt(k) > 0xFF) {
          return STRING_BYTES + 2L * s.length();
        }
      }
      return STRING_BYTES + s.length();
    }
  }

  public static DestructionRegister parse(byte[] json) throws RetentionFormatException {
    requireNonNull(json, "json");
    try {
      return parse(
          new ByteArrayInputStream(json), "destruction register", json.length, Room.ofHeap());
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new RetentionFormatException("bad destruction register: " + e.getMessage());
    }
  }

  /**
   * The register in {@code in}, read as it streams: at most {@code maxBytes} bytes are
   * read (one more refuses it, naming {@code name}, and nothing past it is read), its items are
   * built one at a time and taken from {@code room}. The caller closes {@code in}.
   *
   * @throws RetentionFormatException if it is not a register, is larger than {@code maxBytes} or
   *     its items need more than {@code room} has left
   * @throws IOException if {@code in} cannot be read
   */
  static DestructionRegister parse(InputStream in, String name, long maxBytes, Room room)
      throws IOException {
    List<Item> items = new ArrayList<>();
    try {
      JsonNode n =
          JSON.parseObject(
              in,
              name,
              maxBytes,
              "items",
              MAX_ITEMS,
              i -> {
                JSON.requireObject(
                    i,
                    "item",
                    Set.of("recording", "objectKey", "outcome", "contentSha256", "reason"));
                Item item =
                    new Item(
                        JSON.string(i, "recording"),
                        JSON.string(i, "objectKey"),
                        Outcome.parse(JSON.string(i, "outcome")),
                        RetentionFacts.optString(i, "contentSha256"),
                        JSON.string(i, "reason"));
                room.take(item);
                items.add(item);
              });
      JSON.requireObject(n, "register", FIELDS);
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      JSON.array(n, "items", 0); // present and an array; its items were read above
      List<String> approvers = RetentionFacts.strings(n, "approvers");
      return new DestructionRegister(
          JSON.string(n, "plan"),
          JSON.integer(n, "batch", 1, CanonicalJson.MAX_SAFE_INTEGER),
          JSON.string(n, "plannedBy"),
          approvers,
          JSON.string(n, "executedBy"),
          RetentionFacts.instant(n, "executedAt"),
          items,
          Signatures.parse(JSON, n));
    } catch (RuntimeException e) {
      throw new RetentionFormatException("bad destruction register: " + e.getMessage());
    }
  }

  /** The stored object at {@code key} as a register, read as it streams ({@link #parse}). */
  static DestructionRegister read(EvidenceStore store, ObjectKey key, long maxBytes, Room room)
      throws IOException {
    try (SeekableByteChannel ch = store.openRead(key);
        InputStream in = Channels.newInputStream(ch)) {
      return parse(in, key.value(), maxBytes, room);
    }
  }

  /**
   * Every register of the plan, in batch order. Each is read as it streams, and all of their items
   * together may take at most half of the heap ({@link #scan} holds one register at a time).
   *
   * @throws RetentionFormatException if the store holds more than 10,000 under the plan (refused
   *     before any is read), one is malformed or larger than 256 MiB, or their items are more than
   *     the heap can hold
   */
  public static List<DestructionRegister> read(EvidenceStore store, String planDigest)
      throws IOException {
    return read(store, planDigest, StoredObjects.MAX_BYTES, Room.ofHeap());
  }

  /** {@link #read(EvidenceStore, String)} with the bounds given (tests). */
  static List<DestructionRegister> read(
      EvidenceStore store, String planDigest, long maxBytes, Room room) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(planDigest, "planDigest");
    if (!planDigest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a plan digest is 64 lowercase hex digits");
    }
    List<DestructionRegister> out = new ArrayList<>();
    for (ObjectInfo info :
        StoredObjects.list(store, PREFIX + planDigest + "/", MAX_REGISTERS, WHAT)) {
      out.add(read(store, info.key(), maxBytes, room));
    }
    return out;
  }

  /**
   * One object under a plan's registers, as {@link #scan} found it: the plan's register, or why it
   * is not one.
   */
  public static final class Found {
    private final ObjectKey key;
    private final DestructionRegister register;
    private final String problem;

    private Found(ObjectKey key, DestructionRegister register, String problem) {
      this.key = key;
      this.register = register;
      this.problem = problem;
    }

    public ObjectKey key() {
      return key;
    }

    /** The register, if the object is one of the plan's, stored under its own batch number. */
    public Optional<DestructionRegister> register() {
      return Optional.ofNullable(register);
    }

    /** Why the object is not a register of the plan; empty when it is one. */
    public String problem() {
      return problem;
    }

    @Override
    public String toString() {
      return key.value() + (register == null ? ": " + problem : ": " + register);
    }
  }

  /**
   * Every object under the plan's registers, one at a time in the store's listing order, each
   * either the plan's register stored under its own batch number or a {@link Found#problem()}
   * (unreadable, too large, not a register, another plan's, under another batch's name). Unlike
   * {@link #read}, which fails on the first such object, one object any store writer planted beside
   * the registers hides none of them. Nothing is kept once {@code each} returns.
   *
   * @throws RetentionFormatException if the store holds more than 10,000 under the plan (refused
   *     before any is read)
   */
  public static void scan(EvidenceStore store, String planDigest, Consumer<Found> each)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(planDigest, "planDigest");
    requireNonNull(each, "each");
    if (!planDigest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a plan digest is 64 lowercase hex digits");
    }
    String prefix = PREFIX + planDigest + "/";
    for (ObjectInfo info : StoredObjects.list(store, prefix, MAX_REGISTERS, WHAT)) {
      ObjectKey key = info.key();
      DestructionRegister reg = null;
      String problem;
      try {
        reg = read(store, key, StoredObjects.MAX_BYTES, Room.ofHeap());
        if (!reg.planDigest.equals(planDigest)) {
          problem = "a register of plan " + reg.planDigest;
          reg = null;
        } else if (!key.value().equals(prefix + StoredObjects.seq(reg.batch) + ".json")) {
          problem = "register batch " + reg.batch + " stored under another batch's name";
          reg = null;
        } else {
          problem = "";
        }
      } catch (RetentionFormatException e) {
        problem = e.getMessage();
      } catch (NoSuchObjectException e) {
        problem = "listed, then gone before it could be read";
      }
      each.accept(new Found(key, reg, problem));
    }
  }

  @Override
  public String toString() {
    return "destruction register of plan "
        + planDigest
        + " batch "
        + batch
        + ": "
        + items.size()
        + " items";
  }
}
