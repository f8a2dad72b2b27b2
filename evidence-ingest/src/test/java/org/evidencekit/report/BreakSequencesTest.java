package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.evidencekit.continuity.DeviceSession.BreakKind;
import org.evidencekit.continuity.DeviceSession.SessionBreak;
import org.evidencekit.continuity.Interval;
import org.junit.jupiter.api.Test;

/**
 * The supervisor report's missing file numbers of a break (R-02, Art. 21): the first ten and how
 * many in all, the true count even where the break keeps only the first 1000.
 */
class BreakSequencesTest {
  private static final Interval GAP =
      new Interval(Instant.parse("2023-06-01T06:10:10Z"), Instant.parse("2023-06-01T06:20:00Z"));

  private static List<Integer> range(int from, int toExclusive) {
    return IntStream.range(from, toExclusive).boxed().collect(Collectors.toList());
  }

  private static SessionBreak brk(List<Integer> listed, long count) {
    return new SessionBreak("b", "c", BreakKind.MISSING_FILE, GAP, 590, listed, count);
  }

  @Test
  void aShortListIsGivenWhole() {
    assertEquals("[2]", SupervisorReport.sequences(brk(List.of(2), 1)));
    assertEquals(
        "[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", SupervisorReport.sequences(brk(range(2, 12), 10)));
  }

  @Test
  void aLongListGivesItsFirstTenAndTheCountOfAll() {
    assertEquals(
        "[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …] (11)",
        SupervisorReport.sequences(brk(range(2, 13), 11)));
    // files 150 and 5000: 151..4999 are missing, 4849 numbers; the break keeps the first 1000
    assertEquals(
        "[151, 152, 153, 154, 155, 156, 157, 158, 159, 160, …] (4849)",
        SupervisorReport.sequences(brk(range(151, 1151), 4849)));
  }
}
