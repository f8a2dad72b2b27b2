package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Period;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  static final String V1 =
      "{\"format\":\"evidencekit.retention-policy/1\",\"id\":\"bureau\",\"version\":1,"
          + "\"state\":\"active\",\"zone\":\"Asia/Shanghai\",\"rules\":["
          + "{\"id\":\"video-5y\",\"when\":{\"mediaType\":\"video/\"},\"anchor\":\"recordingEnd\",\"period\":\"P5Y\"},"
          + "{\"id\":\"hearing-perm\",\"when\":{\"actionType\":\"hearing\",\"caseLinked\":true},\"permanent\":true}],"
          + "\"caseClasses\":{\"10y\":\"P10Y\",\"30y\":\"P30Y\",\"15y\":\"P15Y\"}}";

  static RetentionPolicy parse(String s) throws RetentionFormatException {
    return RetentionPolicy.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesRulesConditionsAndCaseTerms() throws Exception {
    RetentionPolicy p = parse(V1);
    assertEquals(2, p.rules().size());
    assertEquals(Period.ofYears(5), p.rules().get(0).period().get());
    assertTrue(p.rules().get(1).isPermanent());
    assertEquals("true", p.rules().get(1).conditions().get("caseLinked"));
    assertEquals(Period.ofYears(15), p.caseTerm("15y").get());
    assertTrue(p.caseTerm("permanent").isEmpty());
  }

  @Test
  void anActivePolicyChangesOnlyByExtension() throws Exception {
    RetentionPolicy v1 = parse(V1);
    RetentionPolicy longer =
        parse(V1.replace("\"version\":1", "\"version\":2").replace("P5Y", "P6Y"));
    longer.checkMayReplace(v1);
    String[][] shortening = {
      {"P5Y", "P4Y"},
      {"P5Y", "P59M"},
      {"\"P15Y\"", "\"P14Y\""},
      {
        ",{\"id\":\"hearing-perm\",\"when\":{\"actionType\":\"hearing\",\"caseLinked\":true},\"permanent\":true}",
        ""
      },
      {"\"permanent\":true", "\"anchor\":\"recordingEnd\",\"period\":\"P100Y\""},
      {
        "\"anchor\":\"recordingEnd\",\"period\":\"P5Y\"", "\"anchor\":\"ingest\",\"period\":\"P5Y\""
      },
    };
    for (String[] e : shortening) {
      RetentionPolicy v2 = parse(V1.replace("\"version\":1", "\"version\":2").replace(e[0], e[1]));
      PolicyShorteningException x =
          assertThrows(PolicyShorteningException.class, () -> v2.checkMayReplace(v1), e[1]);
      assertTrue(x.getMessage().contains("may not replace"), x.getMessage());
    }
    assertThrows(PolicyShorteningException.class, () -> v1.checkMayReplace(v1), "same version");
    RetentionPolicy draft = parse(V1.replace("active", "draft").replace("P5Y", "P1Y"));
    draft.checkMayReplace(v1);
    assertEquals(RetentionPolicy.State.ACTIVE, draft.activate().state());
  }

  @Test
  void twelveMonthsIsAYearButElevenAreNot() {
    assertTrue(RetentionPolicy.atLeast(Period.ofMonths(12), Period.ofYears(1)));
    assertTrue(!RetentionPolicy.atLeast(Period.ofMonths(11), Period.ofYears(1)));
    assertTrue(!RetentionPolicy.atLeast(Period.ofDays(365), Period.ofYears(1)), "leap years");
  }

  @Test
  void malformedPoliciesAreClearErrors() {
    String[][] bad = {
      {"P5Y", "five years"},
      {"\"state\":\"active\"", "\"state\":\"live\""},
      {"recordingEnd", "birthday"},
      {"\"mediaType\"", "\"colour\""},
      {"\"caseLinked\":true", "\"caseLinked\":\"maybe\""},
      {"Asia/Shanghai", "Mars/Olympus"},
      {"\"version\":1", "\"version\":0"},
      {"\"id\":\"video-5y\"", "\"id\":\"art19-minimum-2y\""},
    };
    for (String[] e : bad) {
      RetentionFormatException x =
          assertThrows(RetentionFormatException.class, () -> parse(V1.replace(e[0], e[1])), e[1]);
      assertTrue(x.getMessage().length() < 300, x.getMessage());
    }
  }
}
