package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sentences of the findings, in English and Chinese, and a follow-up per code: what to retrieve
 * or whom to ask. Times and durations are written by the {@link TextStyle} of the reader.
 */
final class FindingText {
  private FindingText() {}

  private static final Map<String, String> TYPE_ZH =
      Map.of(
          EnforcementAction.ON_SITE_INSPECTION, "现场勘验",
          EnforcementAction.HEARING, "听证会",
          EnforcementAction.REFUSAL_TO_SIGN, "拒绝签名或盖章",
          EnforcementAction.REFUSAL_TO_PROVIDE_EVIDENCE, "拒绝提供证据材料",
          EnforcementAction.SERVICE_BY_LEAVING, "留置送达",
          EnforcementAction.INQUIRY, "询问");

  private static final Map<String, String[]> FOLLOW_UP =
      Map.ofEntries(
          Map.entry(
              ContinuityCode.ACTION_NOT_RECORDED,
              new String[] {
                "Ask the action's officers whether a recording exists and retrieve it from their"
                    + " devices; if none was made, have the omission explained in the case file.",
                "询问执法人员是否有音像记录并从其设备调取；如确未记录，在案卷中说明原因。"
              }),
          Map.entry(
              ContinuityCode.LATE_START,
              new String[] {
                "Ask the officer why recording started late; check whether another device"
                    + " recorded the start.",
                "询问执法人员开始记录延迟的原因，核查是否有其他设备记录了开始部分。"
              }),
          Map.entry(
              ContinuityCode.EARLY_STOP,
              new String[] {
                "Ask the officer why recording stopped early; retrieve any later files of the"
                    + " device.",
                "询问执法人员提前停止记录的原因，调取该设备的后续文件。"
              }),
          Map.entry(
              ContinuityCode.BREAK_IN_ACTION,
              new String[] {
                "Retrieve the device's files for the interruption; ask the officer why recording"
                    + " was interrupted.",
                "调取该设备在中断期间的文件，询问执法人员中断记录的原因。"
              }),
          Map.entry(
              ContinuityCode.INTERNAL_GAP,
              new String[] {
                "Retrieve the original from the device or the first ingested copy and compare;"
                    + " ask who handled the file.",
                "从设备或首次导入的副本调取原始文件进行比对，查明经手人员。"
              }),
          Map.entry(
              ContinuityCode.MISSING_FILE,
              new String[] {
                "Retrieve the missing file numbers from the device's storage card and the ingest"
                    + " station; ask the device's custodian.",
                "从设备存储卡和采集站调取缺失编号的文件，询问设备保管人。"
              }),
          Map.entry(
              ContinuityCode.LOOP_OVERWRITE,
              new String[] {
                "Check the device's loop-recording setting and whether files were locked in"
                    + " time; inside an action, ask the officer why the recording was not locked.",
                "核查设备循环录像设置及文件是否及时锁定；如在执法过程中，询问执法人员未锁定记录的原因。"
              }),
          Map.entry(
              ContinuityCode.STOP_START,
              new String[] {
                "Nothing to do outside enforcement; inside an action ask the officer why the device"
                    + " was stopped.",
                "执法过程外无需处理；如在执法过程中，询问执法人员停止记录的原因。"
              }),
          Map.entry(
              ContinuityCode.OVERLAP,
              new String[] {
                "Check the device's date and time setting (Art. 10) and the clock offset measured"
                    + " at docking.",
                "核查设备日期时间设置（第十条）及接入时测得的时钟偏差。"
              }),
          Map.entry(
              ContinuityCode.POST_HOC_RECORDING,
              new String[] {
                "Ask the officer when and why this recording was made; compare its content with"
                    + " the action.",
                "询问执法人员该记录的拍摄时间和原因，并与执法行为内容核对。"
              }),
          Map.entry(
              ContinuityCode.LATE_INGEST,
              new String[] {
                "Ask the officer and the ingest station why storage was late; check who kept the"
                    + " device in between.",
                "询问执法人员和采集站延迟存储的原因，核查期间设备由谁保管。"
              }),
          Map.entry(
              ContinuityCode.LATE_INGEST_UNCORRECTED,
              new String[] {
                "Ask the ingest station's operator how the device's clock offset was measured;"
                    + " compare the device's clock with a trusted clock and check when the device"
                    + " was handed in.",
                "询问采集站操作人员设备时钟偏差如何测得；将设备时钟与可信时钟比对，并核查设备移交时间。"
              }),
          Map.entry(
              ContinuityCode.CLOCK_OFFSET_CONFLICT,
              new String[] {
                "Ask the ingest station's operator how each offset was measured; compare the"
                    + " device's clock with a trusted clock and the ledger's ingest entries of both"
                    + " files.",
                "询问采集站操作人员各时钟偏差如何测得；将设备时钟与可信时钟比对，并核查两个文件在台账中的导入记录。"
              }),
          Map.entry(
              ContinuityCode.CLOCK_OFFSET,
              new String[] {
                "Have the device's date and time set before its next use (Art. 10); the times in"
                    + " this report are corrected.",
                "下次使用前校准设备日期时间（第十条）；本报告中的时间已校正。"
              }),
          Map.entry(
              ContinuityCode.DOCUMENT_TIME_MISMATCH,
              new String[] {
                "Compare the document with the recording; have the officer who wrote it correct or"
                    + " explain the times.",
                "将文书与音像记录核对，由制作文书的执法人员更正或说明时间。"
              }),
          Map.entry(
              ContinuityCode.DOCUMENT_CITES_NO_RECORDING,
              new String[] {
                "Have the document note the recording (Art. 14) or the officer explain why it"
                    + " names none.",
                "在文书中记明音像记录情况（第十四条），或由执法人员说明未记明的原因。"
              }),
          Map.entry(
              ContinuityCode.UNLINKED_RECORDING,
              new String[] {
                "Ask the officer what the recording shows; link it to its action or record why it"
                    + " is kept.",
                "询问执法人员该记录的内容；关联到相应执法行为或说明保存理由。"
              }),
          Map.entry(
              ContinuityCode.PARTY_NOT_INFORMED,
              new String[] {
                "Review the start of the recording for the notice to the party; ask the officer"
                    + " whether the party was told.",
                "查看记录开头是否有告知当事人的内容，询问执法人员是否事先告知。"
              }),
          Map.entry(
              ContinuityCode.SPLICED_FOOTAGE,
              new String[] {
                "Secure the original on the device; have the file examined forensically.",
                "封存设备上的原始文件，委托进行技术鉴定。"
              }),
          Map.entry(
              ContinuityCode.EDITED_RECORDING,
              new String[] {
                "Secure the original on the device and compare its length and times with this"
                    + " file; have the file examined forensically.",
                "封存设备上的原始文件，核对其时长和时间与本文件是否一致，并委托进行技术鉴定。"
              }),
          Map.entry(
              ContinuityCode.TRUNCATED_RECORDING,
              new String[] {
                "Retrieve the original from the device's storage card; ask whether the device lost"
                    + " power or the card was removed while recording.",
                "从设备存储卡调取原始文件，询问录制中是否断电或存储卡被取出。"
              }),
          Map.entry(
              ContinuityCode.SEGMENT_WITHOUT_INIT,
              new String[] {
                "Retrieve the recording's initialization segment and its other segments from the"
                    + " device; analyse them joined in order. A fragmented recording from a camera"
                    + " that writes whole files should never arrive as a bare segment: if so, have"
                    + " it examined forensically.",
                "从设备调取该录像的初始化分段及其他分段，按顺序拼接后分析。如设备本应写出完整文件却只见分段，应委托进行技术鉴定。"
              }),
          Map.entry(
              ContinuityCode.RECORDING_MISSING,
              new String[] {
                "Retrieve the recording from the device, the ingest station and the central store;"
                    + " ask its custodian.",
                "从设备、采集站和集中存储调取该记录，询问其保管人。"
              }),
          Map.entry(
              ContinuityCode.UNKNOWN_ACTION_TYPE,
              new String[] {
                "Correct the action's type in the case data if the known type was meant.",
                "如本应为已知类型，请在案件数据中更正执法行为类型。"
              }),
          Map.entry(
              ContinuityCode.INGEST_BEFORE_END,
              new String[] {
                "Check the recorded ingest time and the device's measured clock offset.",
                "核查记载的导入时间和设备测得的时钟偏差。"
              }));

  static String followUp(String code, TextStyle s) {
    String[] t = FOLLOW_UP.get(code);
    return t == null ? "" : s.pick(t[0], t[1]);
  }

  static String typeName(String type, TextStyle s) {
    return s.zh ? TYPE_ZH.getOrDefault(type, type) : type;
  }

  private static String action(EnforcementAction a, TextStyle s) {
    return s.zh ? typeName(a.type(), s) + " " + a.id() : "the " + a.type() + " " + a.id();
  }

  /** At most five names, then how many more. */
  static String files(List<String> ids, TextStyle s) {
    if (ids.size() <= 5) {
      return s.list(ids);
    }
    return s.pick(
        ids.get(0) + " … " + ids.get(ids.size() - 1) + " (" + ids.size() + " files)",
        ids.get(0) + " … " + ids.get(ids.size() - 1) + "（共 " + ids.size() + " 个文件）");
  }

  static Message listedButMissing(String id, EnforcementAction a) {
    return s ->
        s.pick(
            "recording " + id + " listed for " + action(a, s) + " is not among the recordings",
            action(a, s) + " 所列音像记录 " + id + " 缺失");
  }

  static Message citedButMissing(String id, WrittenDocument d) {
    return s ->
        s.pick(
            "recording "
                + id
                + " cited by the "
                + d.kind()
                + " "
                + d.id()
                + " is not among the recordings",
            "文书 " + d.id() + "（" + d.kind() + "）记明的音像记录 " + id + " 缺失");
  }

  static Message unreadable(String id) {
    return s ->
        s.pick(
            "recording " + id + " was listed for analysis but could not be read",
            "音像记录 " + id + " 已列入分析但无法读取");
  }

  static Message postHocListed(RecordingSpan r, EnforcementAction a, Duration after) {
    return s ->
        s.pick(
            r.id()
                + " of "
                + action(a, s)
                + " was made "
                + s.duration(after)
                + " after the action ended ("
                + s.time(a.span().end())
                + ")",
            action(a, s)
                + " 的音像记录 "
                + r.id()
                + " 在执法结束（"
                + s.time(a.span().end())
                + "）"
                + s.duration(after)
                + " 后才录制");
  }

  static Message postHocSuspected(
      List<String> ids, String device, Duration after, EnforcementAction a) {
    return s ->
        s.pick(
            files(ids, s)
                + " on "
                + device
                + " starts "
                + s.duration(after)
                + " after "
                + action(a, s)
                + " ended, belongs to no action and continues no recording of"
                + " one: recorded after the fact?",
            device
                + " 上的 "
                + files(ids, s)
                + " 在"
                + action(a, s)
                + " 结束 "
                + s.duration(after)
                + " 后开始，不属于任何执法行为，也不是其记录的延续：是否事后补录？");
  }

  static Message actionNotRecorded(EnforcementAction a, boolean mandatory) {
    return s -> {
      String where = a.place().map(p -> ", " + p).orElse("");
      String whereZh = a.place().map(p -> "，" + p).orElse("");
      return s.pick(
          a.type()
              + " "
              + a.id()
              + " ("
              + s.time(a.span().start())
              + " to "
              + s.time(a.span().end())
              + ", "
              + s.between(a.span().start(), a.span().end())
              + where
              + ") has no recording at all"
              + (mandatory ? ": recording it is mandatory" : ""),
          typeName(a.type(), s)
              + " "
              + a.id()
              + "（"
              + s.time(a.span().start())
              + " 至 "
              + s.time(a.span().end())
              + "，"
              + s.between(a.span().start(), a.span().end())
              + whereZh
              + "）没有任何音像记录"
              + (mandatory ? "：依规定必须记录" : ""));
    };
  }

  static Message uncovered(String code, Interval u, EnforcementAction a, String stage) {
    return s -> {
      String st = stage == null ? "" : s.pick(" (stage " + stage + ")", "（环节 " + stage + "）");
      String d = s.between(u.start(), u.end());
      String range = s.time(u.start()) + s.pick(" to ", " 至 ") + s.time(u.end());
      if (code.equals(ContinuityCode.LATE_START)) {
        return s.pick(
            "recording started "
                + d
                + " after the start of "
                + action(a, s)
                + st
                + ": "
                + range
                + " unrecorded",
            action(a, s) + st + " 开始 " + d + " 后才开始记录：" + range + " 未记录");
      }
      if (code.equals(ContinuityCode.EARLY_STOP)) {
        return s.pick(
            "recording stopped "
                + d
                + " before the end of "
                + action(a, s)
                + st
                + ": "
                + range
                + " unrecorded",
            "记录在" + action(a, s) + st + " 结束前 " + d + " 停止：" + range + " 未记录");
      }
      return s.pick(
          d
              + " unrecorded in the middle of "
              + action(a, s)
              + st
              + ", "
              + range
              + "; no Art. 15 stage pause covers it",
          action(a, s) + st + " 中途 " + range + " 共 " + d + " 未记录，且不属于第十五条允许的环节间断");
    };
  }

  static Message partyNotInformed(EnforcementAction a, Duration within) {
    return s ->
        s.pick(
            "inquiry "
                + a.id()
                + ": no recording marks the party as informed within "
                + s.duration(within)
                + " of its start ("
                + s.time(a.span().start())
                + ")",
            "询问 "
                + a.id()
                + "：没有音像记录标明在开始（"
                + s.time(a.span().start())
                + "）后 "
                + s.duration(within)
                + " 内已告知当事人");
  }

  static Message nearMiss(EnforcementAction a, String known, String clause) {
    return s -> {
      String why =
          clause == null
              ? s.pick("", "")
              : s.pick(
                  ", which Art. " + clause + " makes mandatory",
                  "（" + s.article("Art. " + clause) + "规定必须记录）");
      return s.pick(
          "action "
              + a.id()
              + " has type '"
              + a.type()
              + "', which is not a known type; '"
              + known
              + "'"
              + why
              + " was probably meant. It was analysed as written"
              + " (not mandatory)",
          "执法行为 "
              + a.id()
              + " 的类型“"
              + a.type()
              + "”不是已知类型，可能应为“"
              + typeName(known, s)
              + "”"
              + why
              + "；已按所写类型分析（非必须记录）");
    };
  }

  static Message overlap(String a, String b, Duration d) {
    return s ->
        s.pick(
            b
                + " starts "
                + s.duration(d)
                + " before "
                + a
                + " ends: the device clock jumped or the files were reordered",
            b + " 在 " + a + " 结束前 " + s.duration(d) + " 就已开始：设备时钟跳变或文件顺序被调换");
  }

  static Message missingFiles(SessionChain.Break b, EnforcementAction a, boolean loop) {
    DeviceSession.SessionBreak v = b.value();
    return s -> {
      String seqs = s.sequences(v.missingSequences(), v.missingCount());
      String d = s.between(v.gap().start(), v.gap().end());
      String in = a == null ? "" : s.pick(" during " + action(a, s), "，发生在" + action(a, s) + " 期间");
      return s.pick(
          b.deviceId()
              + ": "
              + d
              + " missing between "
              + b.before().id()
              + " and "
              + b.after().id()
              + " ("
              + s.time(v.gap().start())
              + " to "
              + s.time(v.gap().end())
              + "), and with it file(s) "
              + seqs
              + " of the sequence"
              + in
              + (loop
                  ? " (next to a locked EVENT file: overwritten by loop recording)"
                  : " (deleted or withheld)"),
          b.deviceId()
              + "："
              + b.before().id()
              + " 与 "
              + b.after().id()
              + " 之间缺失 "
              + d
              + "（"
              + s.time(v.gap().start())
              + " 至 "
              + s.time(v.gap().end())
              + "），序号 "
              + seqs
              + " 的文件缺失"
              + in
              + (loop ? "（紧邻锁定的事件文件：被循环录像覆盖）" : "（被删除或未移交）"));
    };
  }

  static Message clockOffset(String device, Duration o, Duration tolerance, int files) {
    return s ->
        s.pick(
            device
                + "'s clock was "
                + s.duration(o)
                + (o.isNegative() ? " behind" : " ahead")
                + " at docking (tolerance "
                + s.duration(tolerance)
                + "); the times of its "
                + files
                + " file(s) are corrected",
            device
                + " 的时钟在接入时"
                + (o.isNegative() ? "慢了 " : "快了 ")
                + s.duration(o)
                + "（容差 "
                + s.duration(tolerance)
                + "）；其 "
                + files
                + " 个文件的时间已校正");
  }

  static Message offsetConflict(
      RecordingSpan a, RecordingSpan b, boolean backToBack, boolean numbered) {
    Duration oa = a.clockOffset().orElse(Duration.ZERO);
    Duration ob = b.clockOffset().orElse(Duration.ZERO);
    Duration moved = Duration.between(a.trueSpan().end(), b.trueSpan().start());
    return s ->
        s.pick(
            b.id()
                + (backToBack
                    ? " follows " + a.id() + " without a pause by "
                    : (numbered ? " was numbered and recorded after " : " was recorded after ")
                        + a.id()
                        + " by ")
                + b.deviceId()
                + "'s own clock"
                + (backToBack || numbered ? "" : ", with no docking between them,")
                + " but their clock offsets ("
                + offset(s, oa, false)
                + ", "
                + offset(s, ob, false)
                + ") are "
                + s.duration(ob.minus(oa).abs())
                + " apart: corrected, "
                + b.id()
                + " starts "
                + s.duration(moved.abs())
                + (moved.isNegative() ? " before " : " after ")
                + a.id()
                + " ends; one device records one file after another, so an offset is wrong",
            b.id()
                + " 按 "
                + b.deviceId()
                + " 自身时钟"
                + (backToBack
                    ? "紧接 " + a.id() + " 录制"
                    : "在 " + a.id() + (numbered ? " 之后编号并录制" : " 之后录制（其间未接入采集站）"))
                + "，但两者的时钟偏差（"
                + offset(s, oa, true)
                + "，"
                + offset(s, ob, true)
                + "）相差 "
                + s.duration(ob.minus(oa).abs())
                + "：校正后 "
                + b.id()
                + (moved.isNegative() ? " 在 " + a.id() + " 结束前 " : " 在 " + a.id() + " 结束后 ")
                + s.duration(moved.abs())
                + " 开始；同一设备只能先后录制文件，必有一个偏差不实");
  }

  private static String offset(TextStyle s, Duration o, boolean zh) {
    if (o.isZero()) {
      return zh ? "无偏差" : "none";
    }
    return zh
        ? (o.isNegative() ? "慢 " : "快 ") + s.duration(o.abs())
        : s.duration(o.abs()) + (o.isNegative() ? " behind" : " ahead");
  }

  static Message ingestBeforeEnd(RecordingSpan r, Instant ingested) {
    return s ->
        s.pick(
            r.id()
                + " is recorded as ingested at "
                + s.time(ingested)
                + ", before it ended at "
                + s.time(r.trueSpan().end())
                + ": the ingest time or the clock offset is wrong",
            r.id()
                + " 记载的导入时间 "
                + s.time(ingested)
                + " 早于其结束时间 "
                + s.time(r.trueSpan().end())
                + "：导入时间或时钟偏差有误");
  }

  static Message lateIngest(
      EnforcementAction a, String device, Instant end, Instant last, int n, Duration deadline) {
    return s -> {
      String basis =
          a == null
              ? s.pick("the continuous recording of " + device + " ended", device + " 的连续记录结束")
              : s.pick(action(a, s) + " ended", action(a, s) + " 结束");
      return s.pick(
          n
              + " file(s) stored "
              + s.between(end, last)
              + " after "
              + basis
              + " ("
              + s.time(end)
              + "; last ingested "
              + s.time(last)
              + "), deadline "
              + s.duration(deadline),
          n
              + " 个文件在"
              + basis
              + "（"
              + s.time(end)
              + "）后 "
              + s.between(end, last)
              + " 才存储（最后导入 "
              + s.time(last)
              + "），期限为 "
              + s.duration(deadline));
    };
  }

  static Message lateUncorrected(
      String device, Duration offset, Instant deviceEnd, Instant last, int n, Duration deadline) {
    return s ->
        s.pick(
            n
                + " file(s) of "
                + device
                + " ended "
                + s.time(deviceEnd)
                + " by the device's own clock and were stored "
                + s.between(deviceEnd, last)
                + " later (last ingested "
                + s.time(last)
                + "), deadline "
                + s.duration(deadline)
                + ": only the clock offset stated for them ("
                + s.duration(offset.negated())
                + " behind) puts their end within it, and nothing attests that offset",
            device
                + " 的 "
                + n
                + " 个文件按设备自身时钟于 "
                + s.time(deviceEnd)
                + " 结束，"
                + s.between(deviceEnd, last)
                + " 后才存储（最后导入 "
                + s.time(last)
                + "），期限为 "
                + s.duration(deadline)
                + "：仅凭其记载的时钟偏差（慢 "
                + s.duration(offset.negated())
                + "）才在期限内，而该偏差无从证实");
  }

  static Message internalGap(RecordingSpan r, Interval g, EnforcementAction a) {
    return s ->
        s.pick(
            r.id()
                + " has a "
                + s.between(g.start(), g.end())
                + " hole from "
                + s.time(g.start())
                + " to "
                + s.time(g.end())
                + (a == null ? "" : " inside " + action(a, s))
                + ": footage was cut out and the timestamps kept",
            r.id()
                + " 在 "
                + s.time(g.start())
                + " 至 "
                + s.time(g.end())
                + " 有 "
                + s.between(g.start(), g.end())
                + " 的空缺"
                + (a == null ? "" : "（" + action(a, s) + " 期间）")
                + "：画面被删除而时间戳保留");
  }

  /**
   * @param at where (trusted time) the first footage of another encode begins, or null when the
   *     container does not say
   */
  static Message spliced(RecordingSpan r, Instant at) {
    return s ->
        at == null
            ? s.pick(
                r.id()
                    + ": the container shows footage from another encode or configuration"
                    + " spliced in",
                r.id() + "：文件结构显示插入了其他编码或配置的画面")
            : s.pick(
                r.id()
                    + ": the container shows footage from another encode or configuration"
                    + " spliced in at "
                    + s.time(at)
                    + " ("
                    + s.duration(Duration.between(r.trueSpan().start(), at))
                    + " into the recording): from there on its origin and times are in doubt",
                r.id()
                    + "：文件结构显示在 "
                    + s.time(at)
                    + "（记录开始后 "
                    + s.duration(Duration.between(r.trueSpan().start(), at))
                    + "）插入了其他编码或配置的画面，此后画面的来源和时间存疑");
  }

  /** Where a container finding lies: at a point (a join) or over a stretch (hidden media). */
  private static String place(Interval where, TextStyle s) {
    if (where == null) {
      return "";
    }
    if (where.duration().isZero()) {
      return s.pick(", first at " + s.time(where.start()), "，首处位于 " + s.time(where.start()));
    }
    return s.pick(
        ", the media recorded from " + s.time(where.start()) + " to " + s.time(where.end()),
        "，涉及 " + s.time(where.start()) + " 至 " + s.time(where.end()) + " 记录的画面");
  }

  /**
   * What the container shows of an edit, by the probe's codes: {@code EDIT_LIST} (an edit list that
   * hides, delays or reorders media), {@code UNREFERENCED_MEDIA}, {@code FRAGMENT_DISCONTINUITY},
   * {@code CREATION_TIME_DISAGREEMENT} (a re-stamped header), {@code NAME_TIME_MISMATCH} (a rename
   * or re-stamp) and {@code DURATION_ANOMALY} (a join scar).
   */
  static Message edited(
      RecordingSpan r, List<String> codes, boolean proven, Map<String, Interval> where) {
    return s -> {
      List<String> what = new ArrayList<>();
      for (String c : codes) {
        String kind =
            switch (c) {
              case "EDIT_LIST" ->
                  s.pick(
                      "an edit list hides, delays or reorders media (EDIT_LIST)",
                      "编辑列表隐藏、推迟或调换了部分画面（EDIT_LIST）");
              case "UNREFERENCED_MEDIA" ->
                  s.pick(
                      "media data no sample references is left in the file (between the samples"
                          + " or after the last): samples were"
                          + " taken out of the index (UNREFERENCED_MEDIA)",
                      "文件中（样本之间或最后一个样本之后）存在未被任何样本引用的媒体数据，部分样本已从索引中删除（UNREFERENCED_MEDIA）");
              case "FRAGMENT_DISCONTINUITY" ->
                  s.pick(
                      "fragments are missing or out of order (FRAGMENT_DISCONTINUITY)",
                      "分段缺失或顺序被打乱（FRAGMENT_DISCONTINUITY）");
              case "NAME_TIME_MISMATCH" ->
                  s.pick(
                      "the file name's time and the container's disagree beyond a zone offset or"
                          + " a stamp at close: the file was renamed or re-stamped, and the time"
                          + " it is placed at is in doubt (NAME_TIME_MISMATCH)",
                      "文件名时间与文件内部时间不一致（非时区差或结束时写入所致）：文件被改名或改写时间，" + "其记录时间存疑（NAME_TIME_MISMATCH）");
              case "DURATION_ANOMALY" ->
                  s.pick(
                      "frames of another length where parts were joined (DURATION_ANOMALY)",
                      "拼接处的帧时长异常（DURATION_ANOMALY）");
              default ->
                  s.pick(
                      "the tracks' creation times differ from the movie header's: one of them was"
                          + " re-stamped (CREATION_TIME_DISAGREEMENT)",
                      "轨道创建时间与文件头时间不一致，其中之一被改写（CREATION_TIME_DISAGREEMENT）");
            };
        what.add(kind + place(where.get(c), s));
      }
      return s.pick(
          r.id()
              + (proven
                  ? ": the container shows the recording was edited: "
                  : ": the container suggests the recording was edited (or an honest device"
                      + " quirk): ")
              + String.join("; ", what),
          r.id()
              + (proven ? "：文件结构显示记录被编辑过：" : "：文件结构提示记录可能被编辑过（也可能是设备本身的特性）：")
              + String.join("；", what));
    };
  }

  static Message segmentWithoutInit(RecordingSpan r) {
    return s ->
        s.pick(
            r.id()
                + ": a media segment without its initialization segment: it cannot be played or"
                + " checked for cuts on its own; keep it with the recording's other segments and"
                + " analyse them joined after the initialization segment",
            r.id() + "：仅为媒体分段，缺少初始化分段，无法单独播放或检查是否被剪辑；请与该录像的其他分段一并保存，并在与初始化分段拼接后分析");
  }

  static Message truncated(RecordingSpan r, Duration lost, EnforcementAction a) {
    Duration declared = r.trueSpan().duration();
    return s -> {
      if (lost.isZero()) {
        return s.pick(
            r.id()
                + ": the file is truncated or was never finished; its end is lost"
                + (a == null ? "" : " (during " + action(a, s) + ")"),
            r.id() + "：文件被截断或未正常结束，结尾部分丢失" + (a == null ? "" : "（" + action(a, s) + " 期间）"));
      }
      return s.pick(
          r.id()
              + ": "
              + s.duration(lost)
              + " of the "
              + s.duration(declared)
              + " its index declares cannot be played"
              + (a == null ? "" : " (during " + action(a, s) + ")")
              + "; only what can be played counts as recorded",
          r.id()
              + "：索引声明的 "
              + s.duration(declared)
              + " 中有 "
              + s.duration(lost)
              + " 无法播放"
              + (a == null ? "" : "（" + action(a, s) + " 期间）")
              + "；仅可播放部分计为已记录");
    };
  }

  static Message unlinked(List<String> ids) {
    return s ->
        s.pick(
            files(ids, s)
                + " covers no enforcement action: review whether it relates to enforcement",
            files(ids, s) + " 不属于任何执法行为：请核查是否与执法有关");
  }

  static Message documentMismatch(
      WrittenDocument d, Interval rec, Duration ds, Duration de, Duration tolerance) {
    return s ->
        s.pick(
            "the "
                + d.kind()
                + " "
                + d.id()
                + " states "
                + s.time(d.stated().start())
                + " to "
                + s.time(d.stated().end())
                + ", its recordings run "
                + s.time(rec.start())
                + " to "
                + s.time(rec.end())
                + " (start off by "
                + s.duration(ds)
                + ", end by "
                + s.duration(de)
                + "; tolerance "
                + s.duration(tolerance)
                + ")",
            "文书 "
                + d.id()
                + "（"
                + d.kind()
                + "）记载 "
                + s.time(d.stated().start())
                + " 至 "
                + s.time(d.stated().end())
                + "，其音像记录为 "
                + s.time(rec.start())
                + " 至 "
                + s.time(rec.end())
                + "（开始相差 "
                + s.duration(ds)
                + "，结束相差 "
                + s.duration(de)
                + "；容差 "
                + s.duration(tolerance)
                + "）");
  }

  static Message citesNoRecording(WrittenDocument d, EnforcementAction a, List<String> recs) {
    return s ->
        s.pick(
            "the "
                + d.kind()
                + " "
                + d.id()
                + " was made during "
                + action(a, s)
                + ", which was recorded ("
                + files(recs, s)
                + "), but does not note the recording",
            "文书 "
                + d.id()
                + "（"
                + d.kind()
                + "）制作于"
                + action(a, s)
                + " 期间，该行为有音像记录（"
                + files(recs, s)
                + "），但文书未记明音像记录情况");
  }
}
