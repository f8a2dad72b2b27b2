package org.evidencekit.report;

import java.util.Locale;
import java.util.Map;

/**
 * The documents' words in English or Chinese. A document's text is written in English and looked up
 * here; English is the key, so a word without a translation shows in English rather than not at all
 * ({@code LabelsTest} checks that every word the documents use has one).
 */
final class Labels {
  private static final Labels ENGLISH = new Labels("en", Map.of("of all", "of"));
  private static final Labels CHINESE = new Labels("zh-CN", chineseWords());

  private final String lang;
  private final Map<String, String> words;

  private Labels(String lang, Map<String, String> words) {
    this.lang = lang;
    this.words = words;
  }

  static Labels of(Locale locale) {
    return locale.getLanguage().equals("zh") ? CHINESE : ENGLISH;
  }

  /** The document's {@code lang} attribute. */
  String lang() {
    return lang;
  }

  String t(String english) {
    return words.getOrDefault(english, english);
  }

  boolean chinese() {
    return this == CHINESE;
  }

  /** A duration unit: y, mo, d, h, min, s. */
  String unit(String u) {
    if (!chinese()) {
      return u;
    }
    return switch (u) {
      case "y" -> "年";
      case "mo" -> "个月";
      case "d" -> "天";
      case "h" -> "小时";
      case "min" -> "分";
      default -> "秒";
    };
  }

  /** Between a number and its unit. */
  String unitGap() {
    return chinese() ? "" : " ";
  }

  /** Between two parts of a duration. */
  String sep() {
    return chinese() ? "" : " ";
  }

  private static Map<String, String> chineseWords() {
    return Map.ofEntries(
        Map.entry("Recordings report", "执法记录仪音视频资料报告"),
        Map.entry("All times are local time of", "本文件所有时间均为以下时区的当地时间："),
        Map.entry(", corrected by each device's measured clock offset.", "，已按各设备实测时钟偏差校正。"),
        Map.entry("Made by EvidenceKit", "由 EvidenceKit 生成"),
        Map.entry(
            "Requirements R-nn and articles refer to the bureau's recording rules.",
            "R-nn 要求编号与条款均指本局音视频记录规定。"),
        Map.entry("Store", "存储位置"),
        Map.entry("Made at", "生成时间"),
        Map.entry("Time zone", "时区"),
        Map.entry("Recordings", "音视频资料"),
        Map.entry("Verification", "校验"),
        Map.entry("not re-verified for this report", "本报告未重新校验"),
        Map.entry("intact", "完好"),
        Map.entry("damaged or missing", "损坏或缺失"),
        Map.entry("not checked", "未检查"),
        Map.entry("of", "/"),
        Map.entry("of all", "共"),
        Map.entry("from", "自"),
        Map.entry("to", "至"),
        Map.entry("all recordings", "全部音视频资料"),
        Map.entry("Ledger", "台账"),
        Map.entry("entry, root", "条记录，根哈希"),
        Map.entry("entries, root", "条记录，根哈希"),
        Map.entry("Signed checkpoint", "已签名检查点"),
        Map.entry(
            "none: sign one with 'evidence ledger checkpoint' so this state can be proven",
            "无：请用 'evidence ledger checkpoint' 签署一个，以便证明此状态"),
        Map.entry("size", "大小"),
        Map.entry("root", "根哈希"),
        Map.entry("signed", "签署于"),
        Map.entry("by key", "密钥"),
        Map.entry("Findings", "发现的问题"),
        Map.entry("errors", "错误"),
        Map.entry("warnings", "警告"),
        Map.entry("Timelines", "时间轴"),
        Map.entry("unknown device", "未知设备"),
        Map.entry("unknown officer", "未知执法人员"),
        Map.entry("No recording with a known time.", "没有已知时间的音视频资料。"),
        Map.entry("recording (number as in the table)", "音视频资料（编号同下表）"),
        Map.entry("enforcement action", "执法活动"),
        Map.entry("action time not recorded", "执法活动未记录的时段"),
        Map.entry("gap between a device's files", "同一设备文件之间的间断"),
        Map.entry("gap inside a file", "文件内部的间断"),
        Map.entry("cut, splice or truncation", "剪切、拼接或截断"),
        Map.entry("Device", "设备"),
        Map.entry("officer", "执法人员"),
        Map.entry("actions", "执法活动"),
        Map.entry("recordings", "音视频资料"),
        Map.entry("not recorded", "未记录"),
        Map.entry("between", "介于"),
        Map.entry("and", "与"),
        Map.entry("missing", "缺失"),
        Map.entry("not verified", "未校验"),
        Map.entry("no samples inside", "无采样数据："),
        Map.entry("in", "于"),
        Map.entry("at", "时间"),
        Map.entry("No findings.", "未发现问题。"),
        Map.entry("severity", "严重程度"),
        Map.entry("error", "错误"),
        Map.entry("warning", "警告"),
        Map.entry("info", "提示"),
        Map.entry("code", "代码"),
        Map.entry("article", "条款"),
        Map.entry("what", "内容"),
        Map.entry("Enforcement actions", "执法活动"),
        Map.entry("action", "执法活动"),
        Map.entry("type", "类型"),
        Map.entry("mandatory", "必须全程记录"),
        Map.entry("recorded", "已记录"),
        Map.entry("by recordings", "对应音视频资料"),
        Map.entry("yes (Art. 13)", "是（第十三条）"),
        Map.entry("no", "否"),
        Map.entry("yes", "是"),
        Map.entry("no.", "序号"),
        Map.entry("key", "存储键"),
        Map.entry("device", "设备"),
        Map.entry("cases", "案件"),
        Map.entry("length", "时长"),
        Map.entry("verification", "校验"),
        Map.entry("signature", "签名"),
        Map.entry("retained until", "保存期限至"),
        Map.entry("hold", "保全"),
        Map.entry("enforced by", "保存由谁执行"),
        Map.entry("ledger entry", "台账记录"),
        Map.entry("unknown", "未知"),
        Map.entry("not checked (no trust anchors)", "未检查（未提供信任锚）"),
        Map.entry("no retention set", "未设置保存期限"),
        Map.entry("legal hold", "法律保全"),
        Map.entry("storage (WORM)", "存储系统（WORM）"),
        Map.entry("Record sheet of audio-visual recordings", "音视频资料记录表"),
        Map.entry("case", "案件"),
        Map.entry("Count", "数量"),
        Map.entry("Storage", "存储位置"),
        Map.entry("No.", "序号"),
        Map.entry("Content (file)", "内容（文件）"),
        Map.entry("Type", "类型"),
        Map.entry("Length", "时长"),
        Map.entry("Time", "时间"),
        Map.entry("Place", "地点"),
        Map.entry("Responsible", "负责人"),
        Map.entry("Storage location", "存放位置"),
        Map.entry("Seal roots", "封存根哈希"),
        Map.entry("Retained until", "保存期限至"),
        Map.entry("Hold", "保全"),
        Map.entry("destroyed", "已销毁"),
        Map.entry("Destroyed", "已销毁"),
        Map.entry("Not in the store", "存储中缺失"),
        Map.entry("Destroyed under an approved plan", "经批准销毁"),
        Map.entry("plan", "销毁计划"),
        Map.entry("executed by", "执行人"),
        Map.entry("approved by", "批准人"),
        Map.entry("the ledger records no approval of its plan", "台账未记录对该销毁计划的批准"),
        Map.entry(CatalogedRecording.APPROVERS_UNVOUCHED_NOTE, "其销毁清册所列批准人未见于台账记录；仅列出台账记录的批准人"),
        Map.entry(CatalogedRecording.REGISTER_MISSING_NOTE, "该销毁计划无销毁清册列明此项；所列批准人取自台账记录"),
        Map.entry(CatalogedRecording.REGISTER_DIFFERS_NOTE, "存储中该销毁计划的销毁清册并非台账所记录的清册；所列销毁信息取自台账记录"),
        Map.entry(
            "Its seal is not in the store: what it recorded is from its ledger entry",
            "存储中缺少其封存文件：所列信息取自其台账记录"),
        Map.entry(RecordSheet.SEAL_REPLACED_NOTE, "存储中的封存文件并非其台账记录所登记的封存文件（已被替换）：所列信息取自其台账记录"),
        Map.entry(RecordSheet.SEAL_UNREADABLE_NOTE, "存储中的封存文件无法读取（已损坏或并非封存文件）：所列信息取自其台账记录"),
        Map.entry(
            CatalogedRecording.TRUNCATED_LENGTH_NOTE,
            "该文件不完整：时长为其中留存的可播放媒体，与入库时所报一致；结束时间为其索引声明并经封存的结束时间，留存媒体之后的部分已丢失"),
        Map.entry(
            CatalogedRecording.INDEX_UNREAD_NOTE, "无法读取其索引（静态加密存储或不可读）：时长为其封存所声明的时段，未与其中留存的媒体核对"));
  }
}
