package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EnforcementActionBuilderTest {
  private static final Instant T = Instant.parse("2023-06-01T14:10:00Z");
  private static final Interval SPAN = new Interval(T, T.plusSeconds(600));

  private static EnforcementAction.Builder full() {
    return EnforcementAction.builder()
        .id("ZZ-1/hearing")
        .type(EnforcementAction.HEARING)
        .span(SPAN)
        .place("Zaozhuang")
        .stages(List.of(new EnforcementAction.Stage("statement", SPAN)))
        .deviceIds(List.of("DEVCAM7"))
        .officerIds(List.of("police-0042"))
        .recordingIds(List.of("r1"));
  }

  @Test
  void whatIsGivenIsWhatTheActionHolds() {
    EnforcementAction a = full().build();
    assertEquals("ZZ-1/hearing", a.id());
    assertEquals(EnforcementAction.HEARING, a.type());
    assertEquals(SPAN, a.span());
    assertEquals("Zaozhuang", a.place().orElseThrow());
    assertEquals(List.of(SPAN), a.required());
    assertEquals(List.of("DEVCAM7"), a.deviceIds());
    assertEquals(List.of("police-0042"), a.officerIds());
    assertEquals(List.of("r1"), a.recordingIds());
    EnforcementAction bare =
        EnforcementAction.builder().id("x").type("consultation").span(SPAN).build();
    assertTrue(bare.place().isEmpty());
    assertTrue(bare.stages().isEmpty() && bare.deviceIds().isEmpty());
    assertEquals(List.of(SPAN), bare.required());
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EnforcementAction.builder().type("hearing").span(SPAN).build());
    assertEquals("an action needs an id", e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> EnforcementAction.builder().id("A").span(SPAN).build());
    assertEquals("action A needs a type", e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> EnforcementAction.builder().id("A").type("hearing").build());
    assertEquals("action A needs a span", e.getMessage());
  }

  @Test
  void everySettingIsMadeOnce() {
    List<UnaryOperator<EnforcementAction.Builder>> again =
        List.of(
            b -> b.id("y"),
            b -> b.type("y"),
            b -> b.span(SPAN),
            b -> b.place("y"),
            b -> b.stages(List.of()),
            b -> b.deviceIds(List.of()),
            b -> b.officerIds(List.of()),
            b -> b.recordingIds(List.of()));
    List<String> names =
        List.of("id", "type", "span", "place", "stages", "deviceIds", "officerIds", "recordingIds");
    for (int i = 0; i < again.size(); i++) {
      UnaryOperator<EnforcementAction.Builder> op = again.get(i);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.apply(full()));
      assertEquals(names.get(i) + " was already set", e.getMessage());
    }
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> EnforcementAction.builder().id(" "));
    assertThrows(IllegalArgumentException.class, () -> EnforcementAction.builder().type(""));
    // Art. 15: a stage is part of its action
    Interval outside = new Interval(T.minusSeconds(60), T.plusSeconds(60));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EnforcementAction.builder()
                    .id("A")
                    .type("hearing")
                    .span(SPAN)
                    .stages(List.of(new EnforcementAction.Stage("early", outside)))
                    .build());
    assertTrue(e.getMessage().contains("early"), e.getMessage());
  }
}
