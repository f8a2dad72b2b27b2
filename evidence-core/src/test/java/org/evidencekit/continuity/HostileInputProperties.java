package org.evidencekit.continuity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.Hostile;

/**
 * The analysis's input files under attack: they come from a bureau's case system or are written by
 * hand, and decide which recordings must cover what. Random bytes, valid files
 * damaged and nasty values (64-bit edges in clock offsets, instants beyond any calendar, deep
 * nesting, duplicate keys, lone surrogates, NUL, bad UTF-8) are read, or refused with {@link
 * ContinuityFormatException}, and what is read can be analysed and printed without an unchecked
 * exception.
 */
class HostileInputProperties {
  private static final byte[] ACTIONS = ContinuityInputsTest.resource("actions.json");
  private static final byte[] DOCUMENTS = ContinuityInputsTest.resource("documents.json");
  private static final byte[] DEVICES = ContinuityInputsTest.resource("devices.json");
  private static final byte[] RECORDINGS = ContinuityInputsTest.resource("recordings.json");
  private static final byte[] POLICY = ContinuityInputsTest.resource("policy.json");

  /** Values inside the formats' own bounds that sit at their edges. */
  private static final byte[] EDGES =
      ("{\"format\":\"evidencekit.actions/1\",\"actions\":[{\"id\":\"\\u4e00\\ud83d\\ude00\","
              + "\"type\":\"t\",\"start\":\"1970-01-01T00:00:00Z\",\"end\":\"2199-12-31T23:59:59Z\","
              + "\"stages\":[{\"name\":\"s\",\"start\":\"2199-12-31T23:59:59+00:00\","
              + "\"end\":\"2200-01-01T07:59:59+08:00\"}]}]}")
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] OFFSETS =
      ("{\"format\":\"evidencekit.devices/1\",\"devices\":[{\"id\":\"a\",\"clockOffsetMs\":"
              + "31622400000},{\"id\":\"b\",\"clockOffsetMs\":-31622400000}]}")
          .getBytes(StandardCharsets.UTF_8);

  private static Arbitrary<byte[]> hostile(List<byte[]> valid) {
    return Arbitraries.oneOf(
        Hostile.randomBytes(700), Hostile.mutationsOf(valid), Hostile.nastyValuesIn(valid));
  }

  @Provide
  Arbitrary<byte[]> actions() {
    return hostile(List.of(ACTIONS, EDGES));
  }

  @Provide
  Arbitrary<byte[]> documents() {
    return hostile(List.of(DOCUMENTS));
  }

  @Provide
  Arbitrary<byte[]> devices() {
    return hostile(List.of(DEVICES, OFFSETS));
  }

  @Provide
  Arbitrary<byte[]> recordings() {
    return hostile(List.of(RECORDINGS));
  }

  @Provide
  Arbitrary<byte[]> policies() {
    return hostile(List.of(POLICY));
  }

  private static ByteArrayInputStream in(byte[] b) {
    return new ByteArrayInputStream(b);
  }

  /** What was read, analysed: the arithmetic of spans and stages is where an edge would break. */
  private static Object analysed(List<EnforcementAction> actions, List<WrittenDocument> docs) {
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults()).analyze(List.of(), actions, docs);
    r.toText(Locale.CHINESE, ZoneId.of("Asia/Shanghai"));
    return r.toJson();
  }

  /**
   * An action for each one the documents cite, over the citing document's times: that a document
   * names an action the case does not hold is the analysis's own refusal of inconsistent files, not
   * this file's.
   */
  private static List<EnforcementAction> citedActions(List<WrittenDocument> docs) {
    Map<String, EnforcementAction> actions = new LinkedHashMap<>();
    for (WrittenDocument d : docs) {
      for (String id : d.actionIds()) {
        actions.computeIfAbsent(
            id, x -> EnforcementAction.builder().id(x).type("t").span(d.stated()).build());
      }
    }
    return List.copyOf(actions.values());
  }

  @Property(tries = 1000)
  void anActionsFileIsReadAndAnalysedOrRefused(@ForAll("actions") byte[] input) {
    Hostile.check(
        "ContinuityInputs.readActions",
        input,
        b -> analysed(ContinuityInputs.readActions(in(b)), List.of()),
        ContinuityFormatException.class);
  }

  @Property(tries = 1000)
  void aDocumentsFileIsReadAndAnalysedOrRefused(@ForAll("documents") byte[] input) {
    Hostile.check(
        "ContinuityInputs.readDocuments",
        input,
        b -> {
          List<WrittenDocument> docs = ContinuityInputs.readDocuments(in(b));
          return analysed(citedActions(docs), docs);
        },
        ContinuityFormatException.class);
  }

  @Property(tries = 1000)
  void aDevicesFileIsReadOrRefused(@ForAll("devices") byte[] input) {
    Hostile.check(
        "ContinuityInputs.readDevices",
        input,
        b -> {
          Map<String, DeviceFacts> d = ContinuityInputs.readDevices(in(b));
          // the offsets read are ones a span can carry and the analysis can subtract
          for (DeviceFacts f : d.values()) {
            f.clockOffset().ifPresent(o -> Instant.EPOCH.minus(o).plus(o));
          }
          return d;
        },
        ContinuityFormatException.class);
  }

  @Property(tries = 1000)
  void aRecordingsFileIsReadOrRefused(@ForAll("recordings") byte[] input) {
    Hostile.check(
        "ContinuityInputs.readRecordings",
        input,
        b -> ContinuityInputs.readRecordings(in(b)),
        ContinuityFormatException.class);
  }

  @Property(tries = 1000)
  void aPolicyFileIsReadOrRefused(@ForAll("policies") byte[] input) {
    Hostile.check(
        "ContinuityInputs.readPolicy",
        input,
        b -> ContinuityInputs.readPolicy(in(b)).mandatoryTypes(),
        ContinuityFormatException.class);
  }
}
