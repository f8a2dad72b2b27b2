package org.evidencekit.continuity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.ContinuitySummary.Verdict;

/** The report as text for the legal section, in English or Chinese. */
final class ReportText {
  private ReportText() {}

  static String write(ContinuityReport r, TextStyle s) {
    StringBuilder b = new StringBuilder();
    ContinuitySummary sum = r.summary();
    line(
        b, s.pick("Continuity report; times are " + s.zoneName(), "音像记录连续性报告；时间为 " + s.zoneName()));
    line(
        b,
        s.pick(
            String.format(
                Locale.ROOT,
                "summary: %d error(s), %d warning(s), %d notice(s)",
                sum.count(Severity.ERROR),
                sum.count(Severity.WARNING),
                sum.count(Severity.INFO)),
            String.format(
                Locale.ROOT,
                "汇总：错误 %d 项，警告 %d 项，提示 %d 项",
                sum.count(Severity.ERROR),
                sum.count(Severity.WARNING),
                sum.count(Severity.INFO))));
    verdicts(b, s, s.pick("actions", "执法行为"), sum.actions());
    verdicts(b, s, s.pick("officers", "执法人员"), sum.officers());
    verdicts(b, s, s.pick("devices", "设备"), sum.devices());
    for (DeviceSession d : r.sessions()) {
      line(
          b,
          s.pick(
              String.format(
                  Locale.ROOT,
                  "device %s: %d file(s), %.3f s recorded over %.3f s",
                  d.deviceId(),
                  d.files().size(),
                  d.recordedSeconds(),
                  d.spanSeconds()),
              String.format(
                  Locale.ROOT,
                  "设备 %s：%d 个文件，%.3f 秒内记录 %.3f 秒",
                  d.deviceId(),
                  d.files().size(),
                  d.spanSeconds(),
                  d.recordedSeconds())));
      for (DeviceSession.SessionBreak k : d.breaks()) {
        if (k.kind() == DeviceSession.BreakKind.CONTIGUOUS) {
          continue;
        }
        line(
            b,
            String.format(
                Locale.ROOT,
                "  %s -> %s: %s (%.3f %s%s)",
                k.before(),
                k.after(),
                k.kind(),
                k.seconds(),
                s.pick("s", "秒"),
                k.missingSequences().isEmpty()
                    ? ""
                    : s.pick(", missing ", "，缺失 ")
                        + s.sequences(k.missingSequences(), k.missingCount())));
      }
    }
    for (ActionCoverage c : r.coverage()) {
      EnforcementAction a = r.action(c.actionId());
      String place = a == null ? "" : a.place().map(p -> ", " + p).orElse("");
      String when =
          a == null
              ? ""
              : ", " + s.time(a.span().start()) + s.pick(" to ", " 至 ") + s.time(a.span().end());
      line(
          b,
          s.pick(
              String.format(
                  Locale.ROOT,
                  "action %s (%s%s%s%s): %.1f%% recorded (%.3f of %.3f s)",
                  c.actionId(),
                  c.type(),
                  c.mandatory() ? ", mandatory" : "",
                  place,
                  when,
                  c.ratio() * 100,
                  c.recordedSeconds(),
                  c.requiredSeconds()),
              String.format(
                  Locale.ROOT,
                  "执法行为 %s（%s%s%s%s）：已记录 %.1f%%（%.3f / %.3f 秒）",
                  c.actionId(),
                  FindingText.typeName(c.type(), s),
                  c.mandatory() ? "，必须记录" : "",
                  place.replace(", ", "，"),
                  when.replace(", ", "，"),
                  c.ratio() * 100,
                  c.recordedSeconds(),
                  c.requiredSeconds())));
    }
    if (r.findings().isEmpty()) {
      line(b, s.pick("no findings", "无问题"));
    }
    for (ContinuityFinding f : r.findings()) {
      line(
          b,
          String.format(
              Locale.ROOT,
              "  %-7s %-27s %s",
              s.pick(f.severity().name(), severityZh(f.severity())),
              f.code(),
              s.article(f.article())));
      line(b, "          " + f.message(s));
      StringBuilder who = new StringBuilder();
      f.actionId().ifPresent(x -> append(who, s.pick("action ", "执法行为 ") + x, s));
      if (!f.officerIds().isEmpty()) {
        append(who, s.pick("officer ", "执法人员 ") + s.list(f.officerIds()), s);
      }
      if (!f.deviceIds().isEmpty()) {
        append(who, s.pick("device ", "设备 ") + s.list(f.deviceIds()), s);
      }
      f.place().ifPresent(x -> append(who, s.pick("place ", "地点 ") + x, s));
      if (who.length() > 0) {
        line(b, "          " + who);
      }
      line(b, "          " + s.pick("follow-up: ", "后续：") + FindingText.followUp(f.code(), s));
    }
    return b.toString();
  }

  private static void append(StringBuilder b, String part, TextStyle s) {
    if (b.length() > 0) {
      b.append(s.pick("; ", "；"));
    }
    b.append(part);
  }

  /**
   * One line per kind of entity: the non-compliant and review ones by name, the compliant ones by
   * name only when there are few (the JSON report lists every verdict).
   */
  private static void verdicts(StringBuilder b, TextStyle s, String what, Map<String, Verdict> m) {
    if (m.isEmpty()) {
      return;
    }
    StringBuilder l = new StringBuilder("  ").append(what).append(s.pick(": ", "："));
    boolean first = true;
    for (Verdict v : new Verdict[] {Verdict.NON_COMPLIANT, Verdict.REVIEW, Verdict.COMPLIANT}) {
      List<String> names = new ArrayList<>();
      m.forEach(
          (k, x) -> {
            if (x == v) {
              names.add(k);
            }
          });
      if (names.isEmpty()) {
        continue;
      }
      if (!first) {
        l.append(s.pick("; ", "；"));
      }
      first = false;
      l.append(names.size()).append(' ').append(verdict(v, s));
      if (v != Verdict.COMPLIANT || names.size() <= 10) {
        l.append(s.pick(" (", "（")).append(s.list(names)).append(s.pick(")", "）"));
      }
    }
    line(b, l.toString());
  }

  static String verdict(Verdict v, TextStyle s) {
    return switch (v) {
      case COMPLIANT -> s.pick("compliant", "合规");
      case REVIEW -> s.pick("review", "需复核");
      case NON_COMPLIANT -> s.pick("NON-COMPLIANT", "不合规");
    };
  }

  private static String severityZh(Severity v) {
    return switch (v) {
      case ERROR -> "错误";
      case WARNING -> "警告";
      case INFO -> "提示";
    };
  }

  private static void line(StringBuilder b, String s) {
    b.append(s).append('\n');
  }
}
