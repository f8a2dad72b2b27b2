package org.evidencekit.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges one track's samples: nominal duration, gaps (merged and capped), duration anomalies,
 * truncation, edit lists, and the keyframe heads that show splices and encoders. Normal encoder
 * behaviour within the documented tolerances is marked benign.
 */
final class TrackAnalysis {
  private static final int BANNER_BYTES = 2048;

  /** Keyframe head read by a deep probe: room for long SEI and several parameter sets. */
  private static final int DEEP_HEAD_BYTES = 16 * 1024;

  /**
   * How much longer than the others a track's first sample may be without being a gap: encoders
   * fold audio priming (1024-2112 samples, up to 48 ms) or a start-up delay into it.
   */
  static final int PRIMING_TOLERANCE_MS = 100;

  private final ProbeRun run;

  /** The longest B-frame delay an audio edit may skip with the video's: a few frames. */
  static final int MAX_VIDEO_DELAY_MS = 250;

  TrackAnalysis(ProbeRun run) {
    this.run = run;
  }

  TrackTimeline analyse(
      int trackId,
      String handler,
      String handlerName,
      String codec,
      long timescale,
      long movieTimescale,
      List<EditListEntry> edits,
      int descriptions,
      String config,
      Iterable<Sample> samples,
      long count,
      boolean hasSyncTable,
      long primingMillis)
      throws IOException {
    String where = "track " + trackId + " (" + handler + ")";
    // nominal sample duration: the most frequent one (bounded histogram)
    Map<Long, Long> hist = new LinkedHashMap<>();
    long total = 0;
    long sync = 0;
    long complete = 0;
    long beyond = 0;
    long firstBeyond = -1;
    long lastSync = -1;
    Map<Long, Long> gops = new LinkedHashMap<>();
    List<Sample> syncHeads = new ArrayList<>();
    // durations come in runs (constant frame rate): count a run at a time, not a sample
    long runDuration = -1;
    long runLength = 0;
    long lastDuration = 0;
    // the track's length on its timeline: from the first sample's decode time to the latest end,
    // which the decode times of a fragmented track state even where samples are missing
    long firstDecode = 0;
    long latestEnd = Long.MIN_VALUE;
    for (Sample s : samples) {
      lastDuration = s.duration();
      if (latestEnd == Long.MIN_VALUE) {
        firstDecode = s.decodeTime();
      }
      latestEnd = Math.max(latestEnd, saturatedSum(s.decodeTime(), s.duration()));
      if (s.duration() != runDuration) {
        countRun(hist, runDuration, runLength);
        runDuration = s.duration();
        runLength = 0;
      }
      runLength++;
      total += s.duration();
      if (s.sync()) {
        sync++;
        if (lastSync >= 0 && gops.size() < 4096) {
          gops.merge(s.index() - lastSync, 1L, Long::sum);
        }
        lastSync = s.index();
        if (handler.equals("vide") && syncHeads.size() < run.limits.maxBannerScans()) {
          syncHeads.add(s);
        }
      }
      if (s.offset() >= 0 && s.offset() + s.size() <= run.size) {
        complete++;
        run.sampleBytes += s.size();
        run.firstSampleByte = Math.min(run.firstSampleByte, s.offset());
        run.sampleBytesEnd = Math.max(run.sampleBytesEnd, s.offset() + s.size());
      } else {
        beyond++;
        if (firstBeyond < 0) {
          firstBeyond = s.index();
        }
      }
    }
    countRun(hist, runDuration, runLength);
    Long nominal = MediaProbe.mode(hist);
    Long gop = MediaProbe.mode(gops);
    // constant frame rate when one duration covers most samples; otherwise judge against the mean
    boolean cfr = nominal != null && hist.getOrDefault(nominal, 0L) * 2 >= count;
    long gapThreshold =
        cfr ? nominal * 3 / 2 : count == 0 ? Long.MAX_VALUE : Math.max(1, 3 * total / count);
    GapRecorder gaps = new GapRecorder(where, trackId, timescale);
    long anomalies = 0;
    long firstAnomaly = -1;
    long firstAnomalyTime = 0;
    long zero = hist.getOrDefault(0L, 0L);
    // a caption track holds a sample only while a caption is shown: its silence between captions
    // (one sample spanning minutes, or decode times far apart) is no recording gap
    boolean caption = isCaption(handler, codec);
    if (!caption && nominal != null && (nominal > 0 || !cfr)) {
      long tol = Math.max(1, nominal / 20);
      // rounded up: a writer places the priming on its own timescale, to the nearest tick
      long priming = (timescale * primingMillis + 999) / 1000;
      Iterator<Sample> it = samples.iterator();
      Sample next = it.hasNext() ? it.next() : null;
      while (next != null) {
        Sample s = next;
        next = it.hasNext() ? it.next() : null;
        long d = s.duration();
        // how long until the next sample is decoded: longer than the sample lasts where the decode
        // time jumps (a fragment's tfdt past the end of the one before: media missing, R-13)
        long untilNext = next == null ? d : saturatedDifference(next.decodeTime(), s.decodeTime());
        long span = Math.max(d, untilNext);
        if (d > gapThreshold && s.index() == 0 && cfr && d - nominal <= priming && span == d) {
          run.findings.add(
              MediaFinding.at(
                      MediaFindingCode.DURATION_ANOMALY,
                      String.format(
                          Locale.ROOT,
                          "%s: the first sample lasts %.3f s longer than the others: encoder"
                              + " priming folded into it (benign up to %d ms)",
                          where,
                          (double) (d - nominal) / timescale,
                          primingMillis),
                      trackId,
                      0,
                      0,
                      s.offset())
                  .asBenign());
        } else if (span > gapThreshold) {
          // a sample that lasts long plays its nominal duration and then nothing; one followed by a
          // jump plays as long as it says
          gaps.add(s, d > gapThreshold ? nominal : d, span);
        } else if (cfr && d != 0 && d < nominal - tol && s.index() == 0 && span == d) {
          // nothing comes before the first sample, so its being short hides nothing: the priming a
          // writer trims off it (GStreamer's Opus pre-skip: 648 of 960 ticks), not a join's scar
          run.findings.add(
              MediaFinding.at(
                      MediaFindingCode.DURATION_ANOMALY,
                      String.format(
                          Locale.ROOT,
                          "%s: the first sample lasts %.3f s less than the others: encoder priming"
                              + " trimmed off it (benign)",
                          where,
                          (double) (nominal - d) / timescale),
                      trackId,
                      0,
                      0,
                      s.offset())
                  .asBenign());
        } else if (cfr && d != 0 && Math.abs(d - nominal) > tol && s.index() < count - 1) {
          anomalies++;
          if (firstAnomaly < 0) {
            firstAnomaly = s.index();
            firstAnomalyTime = s.decodeTime();
          }
        }
      }
    }
    gaps.flush();
    gaps.finish();
    if (!cfr && count > 1 && (handler.equals("vide") || handler.equals("soun"))) {
      run.findings.add(
          MediaFinding.track(
                  MediaFindingCode.DURATION_ANOMALY,
                  where
                      + ": variable sample durations (no duration covers half the samples; mean "
                      + total / count
                      + " ticks): gaps are judged against three times the mean (benign: phones"
                      + " record at a variable frame rate)",
                  trackId)
              .asBenign());
    }
    if (anomalies > 0 && !handler.equals("vide") && !handler.equals("soun")) {
      anomalies = 0; // metadata tracks tick irregularly by design
    }
    if (anomalies > 0) {
      // where the first scar is on the presented timeline: from the media the first edit shows
      long base =
          edits.stream().filter(e -> !e.isEmpty()).findFirst().map(e -> e.mediaTime()).orElse(0L);
      run.findings.add(
          MediaFinding.at(
              MediaFindingCode.DURATION_ANOMALY,
              where
                  + ": "
                  + anomalies
                  + " sample(s) deviate from the nominal duration "
                  + nominal
                  + " (first: sample "
                  + firstAnomaly
                  + "); splice scars or a variable frame rate",
              trackId,
              firstAnomaly,
              Math.max(0, (double) (firstAnomalyTime - base) / timescale),
              -1));
    }
    if (zero > 0) {
      run.findings.add(
          handler.equals("vide") || handler.equals("soun")
              ? MediaFinding.track(
                  MediaFindingCode.ZERO_DURATION_SAMPLES,
                  where + ": " + zero + " sample(s) of zero duration",
                  trackId)
              : MediaFinding.track(
                      MediaFindingCode.ZERO_DURATION_SAMPLES,
                      where
                          + ": "
                          + zero
                          + " sample(s) of zero duration (benign in a metadata track)",
                      trackId)
                  .asBenign());
    }
    if (beyond > 0) {
      run.findings.add(
          MediaFinding.track(
              MediaFindingCode.SAMPLES_BEYOND_EOF,
              where
                  + ": "
                  + beyond
                  + " of "
                  + count
                  + " samples lie beyond the end of the file"
                  + " (first: sample "
                  + firstBeyond
                  + "): the file is truncated, "
                  + complete
                  + " complete",
              trackId));
    }
    double presentedStart = 0;
    if (!edits.isEmpty()) {
      Iterator<Sample> first = samples.iterator();
      long firstCto = first.hasNext() ? first.next().compositionOffset() : 0;
      String kind =
          classifyEdits(
              handler,
              edits,
              timescale,
              movieTimescale,
              firstCto,
              total,
              lastDuration,
              count,
              0,
              presentedEarly(samples, edits),
              primingMillis);
      for (EditListEntry e : edits) {
        if (e.isEmpty()) {
          presentedStart += movieTimescale == 0 ? 0 : (double) e.segmentDuration() / movieTimescale;
        }
      }
      double[] hidden =
          kind.contains("(benign")
              ? null
              : hidden(edits, timescale, movieTimescale, total, lastDuration);
      MediaFinding f =
          hidden == null
              ? MediaFinding.track(MediaFindingCode.EDIT_LIST, where + ": " + kind, trackId)
              : MediaFinding.during(
                  MediaFindingCode.EDIT_LIST, where + ": " + kind, trackId, hidden[0], hidden[1]);
      run.findings.add(kind.contains("(benign") ? f.asBenign() : f);
    }
    scanHeads(
        syncHeads,
        where,
        trackId,
        timescale,
        SpliceScanner.create(
            codec,
            config == null ? null : run.lastConfig,
            where,
            trackId,
            timescale,
            run.findings));
    return new TrackTimeline(
        trackId,
        handler,
        handlerName,
        codec,
        timescale,
        count,
        latestEnd == Long.MIN_VALUE ? 0 : saturatedDifference(latestEnd, firstDecode),
        hasSyncTable ? sync : count,
        nominal,
        gop,
        edits,
        presentedStart,
        config,
        descriptions,
        gaps.listed,
        gaps.count,
        complete,
        samples);
  }

  /**
   * Media ticks of the pictures a track presents before its first media edit's start: how far their
   * composition times reach back, when their durations fill that far (else only what they fill).
   * Encoders that write signed composition offsets present the leading pictures of the first sync
   * sample, decoded after it, before it (GPAC's VVC: 24 leading pictures, 0.960 s); one sample's
   * offset set far back fills no more than its own duration. Only those count: the first sample
   * must be a sync sample presented at the start, and no picture from the next sync sample on may
   * be presented before it, else a forger moving the recording's first pictures (or the first
   * sample) before the start, where a player that follows the edit list does not show them, would
   * have them counted. 0 without an edit list, when nothing comes before, or otherwise.
   */
  static long presentedEarly(Iterable<Sample> samples, List<EditListEntry> edits) {
    if (edits.isEmpty()) {
      return 0;
    }
    long start =
        edits.stream().filter(e -> !e.isEmpty()).findFirst().map(e -> e.mediaTime()).orElse(0L);
    long earliest = start;
    long filled = 0;
    boolean first = true;
    boolean leading = true;
    for (Sample s : samples) {
      long presented = s.decodeTime() + s.compositionOffset();
      if (first) {
        if (!s.sync() || presented != start) {
          return 0;
        }
        first = false;
        continue;
      }
      leading &= !s.sync();
      if (presented < start) {
        if (!leading) {
          return 0;
        }
        earliest = Math.min(earliest, presented);
        filled += s.duration();
      }
    }
    return Math.max(0, Math.min(start - earliest, filled));
  }

  /**
   * Handler types of timed text: QuickTime text, ISO subtitles, 3GPP/QuickTime subtitles, captions.
   */
  private static final Set<String> CAPTION_HANDLERS = Set.of("text", "subt", "sbtl", "clcp");

  /**
   * Sample entries of timed text and captions: 3GPP timed text, WebVTT, TTML, CEA-608/708,
   * QuickTime text, ISO simple text.
   */
  private static final Set<String> CAPTION_ENTRIES =
      Set.of("tx3g", "wvtt", "stpp", "c608", "c708", "text", "stxt", "sbtt");

  /**
   * Whether a track carries captions or subtitles, by its handler type or its sample entry (never
   * by the file): such a track is sparse by design, a packager writing one sample per caption, or
   * one long sample over the minutes without one, so its timing shows no recording gap.
   */
  static boolean isCaption(String handler, String codec) {
    return CAPTION_HANDLERS.contains(handler) || CAPTION_ENTRIES.contains(codec);
  }

  /** {@code a + b}, held at the long range's ends instead of wrapping (hostile decode times). */
  static long saturatedSum(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /** {@code a - b}, held at the long range's ends instead of wrapping. */
  static long saturatedDifference(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /** Adds a run of samples of one duration to the bounded histogram. */
  private static void countRun(Map<Long, Long> hist, long duration, long length) {
    if (length > 0 && (hist.size() < 4096 || hist.containsKey(duration))) {
      hist.merge(duration, length, Long::sum);
    }
  }

  /**
   * The stretch of media an edit list hides from playback, in seconds from the media its first edit
   * presents (so on the recording's presented timeline, R-13), when the edits state both of its
   * ends: media edits in order that skip forward (the first skipped media to the last), or one that
   * stops short of the media's end (to that end). Null when the edits reorder or rescale the media,
   * or hide nothing that way (an edit that starts the media late hides media from before the
   * presented start, which has no place on that timeline).
   *
   * @param total the media's duration, in media ticks
   */
  static double[] hidden(
      List<EditListEntry> edits, long timescale, long movieTs, long total, long lastDuration) {
    List<EditListEntry> media = edits.stream().filter(e -> !e.isEmpty()).toList();
    if (media.isEmpty() || timescale <= 0 || movieTs <= 0) {
      return null;
    }
    // as the classification allows: a movie tick and the writer's rounding between edits, and at
    // the end the last sample's padding or the priming tolerance
    double tick = Math.ceil((double) timescale / movieTs) + 1;
    double endSlack =
        Math.max(timescale * PRIMING_TOLERANCE_MS / 1000.0, Math.min(lastDuration, timescale))
            + tick;
    long base = media.get(0).mediaTime();
    double from = -1;
    double to = -1;
    for (int i = 0; i < media.size(); i++) {
      EditListEntry e = media.get(i);
      if (e.rate() != 1.0 || e.segmentDuration() <= 0) {
        return null;
      }
      double end = e.mediaTime() + (double) e.segmentDuration() * timescale / movieTs;
      boolean last = i + 1 == media.size();
      double next = last ? total : media.get(i + 1).mediaTime();
      if (!last && next < end - tick) {
        return null; // media shown again or out of order: no one stretch is hidden
      }
      if (next > end + (last ? endSlack : tick)) {
        from = from < 0 ? end - base : from;
        to = next - base;
      }
    }
    return from < 0 ? null : new double[] {from / timescale, to / timescale};
  }

  /**
   * What a track's edit list does to its media. Benign: it hides nothing but what encoders skip
   * (the B-frame reordering delay, audio priming) and the last sample's end padding, delays the
   * track at most {@link #PRIMING_TOLERANCE_MS} behind the movie, and, when it has several media
   * edits, each takes up the media where the one before stopped (an edit split in parts). An edit
   * list that stops short of the media's end hides that end from playback.
   *
   * @param total the media's duration (the sum of its samples' durations), in media ticks
   * @param lastDuration the last sample's duration, in media ticks
   * @param count the track's samples
   * @param extraStart media ticks an audio edit may skip beyond its priming: the B-frame delay of
   *     the file's video, which older libavformat skips in every track to start them together
   * @param presentedEarly {@link #presentedEarly}: media ticks of the pictures presented before the
   *     first media edit's start
   * @param delayMillis how long an empty edit may delay the track as an encoder's start-up offset:
   *     {@link #PRIMING_TOLERANCE_MS}, or one frame of the movie's AAC track when longer (ffmpeg
   *     delays the video by the audio's priming: 128 ms at 8 kHz)
   */
  String classifyEdits(
      String handler,
      List<EditListEntry> edits,
      long timescale,
      long movieTs,
      long firstCto,
      long total,
      long lastDuration,
      long count,
      long extraStart,
      long presentedEarly,
      long delayMillis) {
    if (count == 0) {
      return "edit list over a track without samples: no media to hide (benign)";
    }
    boolean delayed = edits.size() > 1 && edits.get(0).isEmpty();
    List<EditListEntry> media = edits.subList(delayed ? 1 : 0, edits.size());
    EditListEntry first = media.get(0);
    String start =
        first.isEmpty()
            ? null
            : startKind(handler, first.mediaTime(), timescale, firstCto, extraStart);
    // one movie tick in media ticks, rounded up, and one more for the writer's rounding
    double tick = movieTs > 0 ? Math.ceil((double) timescale / movieTs) + 1 : 0;
    // an empty edit as long as the pictures presented before the media edit's start shows the
    // earliest of them at the movie's start
    boolean roomForEarlier =
        delayed
            && movieTs > 0
            && presentedEarly > 0
            && Math.abs(
                    (double) edits.get(0).segmentDuration() * timescale / movieTs - presentedEarly)
                <= tick;
    boolean delayBenign =
        !delayed
            || roomForEarlier
            || (movieTs > 0 && edits.get(0).segmentDuration() * 1000 <= movieTs * delayMillis);
    boolean followOn = start != null && (movieTs > 0 || media.size() == 1);
    for (int i = 1; followOn && i < media.size(); i++) {
      EditListEntry prev = media.get(i - 1);
      EditListEntry cur = media.get(i);
      double expected = prev.mediaTime() + (double) prev.segmentDuration() * timescale / movieTs;
      followOn =
          !cur.isEmpty()
              && prev.segmentDuration() > 0
              && prev.rate() == 1.0
              && cur.rate() == 1.0
              && Math.abs(cur.mediaTime() - expected) <= tick;
    }
    if (start == null || !followOn || !delayBenign) {
      if (edits.size() == 1 && !first.isEmpty()) {
        return String.format(
            java.util.Locale.ROOT,
            "edit list starts the media at %.3f s: earlier media is hidden from playback",
            (double) first.mediaTime() / timescale);
      }
      return listEdits(edits, timescale, movieTs);
    }
    EditListEntry last = media.get(media.size() - 1);
    if (last.segmentDuration() > 0 && movieTs > 0) {
      // a duration of 0 runs to the media's end (a fragmented file's edit)
      double end = last.mediaTime() + (double) last.segmentDuration() * timescale / movieTs;
      double slack =
          Math.max(timescale * PRIMING_TOLERANCE_MS / 1000.0, Math.min(lastDuration, timescale))
              + tick;
      if (total - end > slack) {
        return String.format(
            Locale.ROOT,
            "edit list ends the media at %.3f s of its %.3f s: the last %.3f s are hidden from"
                + " playback",
            end / timescale,
            (double) total / timescale,
            (total - end) / timescale);
      }
    }
    if (roomForEarlier) {
      return String.format(
          Locale.ROOT,
          "edit list opens with an empty edit of %.3f s, as long as the pictures the media"
              + " presents before its first sample (composition offsets below zero), so the"
              + " earliest is shown at the movie's start (benign: nothing is delayed or hidden)",
          (double) edits.get(0).segmentDuration() / movieTs);
    }
    if (delayed) {
      return String.format(
          Locale.ROOT,
          "edit list starts the track %.3f s after the movie (benign: an encoder's start-up"
              + " offset between tracks, up to %d ms)",
          (double) edits.get(0).segmentDuration() / movieTs,
          delayMillis);
    }
    if (media.size() > 1) {
      return "edit list of "
          + media.size()
          + " edits, each taking up the media where the one before stopped, "
          + start
          + " to its end (benign: an edit split in parts)";
    }
    long mt = first.mediaTime();
    if (mt == 0) {
      return "edit list maps the whole media from its start (benign)";
    }
    if (handler.equals("vide") && mt == firstCto) {
      return "edit list skips the " + mt + "-tick B-frame reordering delay (benign)";
    }
    if (handler.equals("soun") && (mt == 1024 || mt == 2048 || mt == 2112)) {
      return "edit list skips " + mt + " samples of audio encoder priming (benign, AAC)";
    }
    if (mt * 1000 > timescale * PRIMING_TOLERANCE_MS) {
      return String.format(
          Locale.ROOT,
          "edit list skips %.3f s of audio: its priming and the video's %.3f s B-frame delay, so"
              + " the tracks start together (benign: older libavformat)",
          (double) mt / timescale,
          (double) extraStart / timescale);
    }
    return String.format(
        Locale.ROOT,
        "edit list skips %.3f s of audio encoder priming (benign up to %d ms)",
        (double) mt / timescale,
        PRIMING_TOLERANCE_MS);
  }

  /**
   * Where a track's first media edit may start without hiding media: at 0, after the B-frame
   * reordering delay (video), or after the encoder's priming (audio); null elsewhere.
   */
  private static String startKind(
      String handler, long mt, long timescale, long firstCto, long extraStart) {
    if (mt == 0) {
      return "from its start";
    }
    if (handler.equals("vide") && mt == firstCto) {
      return "after the " + mt + "-tick B-frame reordering delay";
    }
    if (handler.equals("soun")
        && (mt == 1024
            || mt == 2048
            || mt == 2112
            || (mt > 0 && mt * 1000 <= timescale * PRIMING_TOLERANCE_MS))) {
      return "after " + mt + " samples of audio encoder priming";
    }
    if (handler.equals("soun")
        && extraStart > 0
        && mt > 0
        && mt * 1000 <= timescale * PRIMING_TOLERANCE_MS + extraStart * 1000) {
      return "after audio encoder priming and the video's B-frame delay";
    }
    return null;
  }

  private static String listEdits(List<EditListEntry> edits, long timescale, long movieTs) {
    StringBuilder sb =
        new StringBuilder(
            "edit list of " + edits.size() + (edits.size() == 1 ? " entry: " : " entries: "));
    for (EditListEntry e : edits) {
      sb.append(
          e.isEmpty()
              ? String.format(
                  java.util.Locale.ROOT, "[empty %.3f s] ", (double) e.segmentDuration() / movieTs)
              : String.format(
                  java.util.Locale.ROOT,
                  "[media from %.3f s for %.3f s] ",
                  (double) e.mediaTime() / timescale,
                  (double) e.segmentDuration() / movieTs));
    }
    sb.append("(an empty edit delays the track; several media edits cut or reorder it)");
    return sb.toString();
  }

  /**
   * Turns long samples into gap records: consecutive long samples are one gap (one hole, however
   * the muxer spread it), the first {@link FindingList#PER_CODE} gaps are listed with a finding
   * each, and the rest are counted in one {@code MORE_GAPS} finding with their total length.
   */
  final class GapRecorder {
    private final String where;
    private final int trackId;
    private final long timescale;
    final List<TimelineGap> listed = new ArrayList<>();
    long count;
    private long unlisted;
    private double unlistedSeconds;
    private long first = -1;
    private long last;
    private double from;
    private double to;
    private double at;
    private long offset;
    private long ticks;
    private long nominalTicks;

    /** Whether the decode time jumps inside the gap, past what its samples last. */
    private boolean jumped;

    GapRecorder(String where, int trackId, long timescale) {
      this.where = where;
      this.trackId = trackId;
      this.timescale = timescale;
    }

    /**
     * A sample after which the next one starts late.
     *
     * @param plays how long it plays (its nominal duration when it lasts long, its own when the
     *     decode time jumps after it)
     * @param span how long until the next sample is decoded
     */
    void add(Sample s, long plays, long span) {
      double start = (double) s.decodeTime() / timescale;
      boolean jump = span > s.duration();
      if (first >= 0 && s.index() == last + 1) {
        last = s.index();
        to = start + (double) span / timescale;
        ticks = saturatedSum(ticks, span);
        jumped |= jump;
        return;
      }
      flush();
      first = s.index();
      last = first;
      at = start;
      from = start + (double) plays / timescale;
      to = start + (double) span / timescale;
      offset = s.offset();
      ticks = span;
      nominalTicks = plays;
      jumped = jump;
    }

    void flush() {
      if (first >= 0) {
        count++;
        TimelineGap g = new TimelineGap(first, from, to);
        if (listed.size() < FindingList.PER_CODE) {
          listed.add(g);
          run.findings.add(
              MediaFinding.at(
                  MediaFindingCode.TIMESTAMP_GAP,
                  String.format(
                      Locale.ROOT,
                      jumped
                          ? "%1$s: the decode time jumps after %2$s at %3$.3f s: the next sample"
                              + " follows %4$.3f s after %5$s, not %6$.3f s: %7$.3f s missing from"
                              + " %8$.3f s to %9$.3f s"
                          : "%1$s: %2$s at %3$.3f s %5$s%4$.3f s instead of %6$.3f s: %7$.3f s"
                              + " missing from %8$.3f s to %9$.3f s",
                      where,
                      first == last ? "sample " + first : "samples " + first + " to " + last,
                      at,
                      (double) ticks / timescale,
                      jumped
                          ? (first == last ? "it" : "the first")
                          : first == last ? "lasts " : "last ",
                      (double) nominalTicks * (last - first + 1) / timescale,
                      g.seconds(),
                      g.fromSeconds(),
                      g.toSeconds()),
                  trackId,
                  first,
                  at,
                  offset));
        } else {
          unlisted++;
          unlistedSeconds += g.seconds();
        }
        first = -1;
      }
    }

    void finish() {
      if (unlisted > 0) {
        run.findings.add(
            MediaFinding.track(
                MediaFindingCode.MORE_GAPS,
                String.format(
                    Locale.ROOT,
                    "%s: %d more gaps, %.3f s missing in all, are not listed (the first %d"
                        + " are)",
                    where,
                    unlisted,
                    unlistedSeconds,
                    FindingList.PER_CODE),
                trackId));
      }
    }
  }

  /**
   * Reads the head of each keyframe: parameter sets and SEI for the splice scanner, and the x264
   * banner, of which a second one means a splice.
   */
  void scanHeads(
      List<Sample> heads, String where, int trackId, long timescale, SpliceScanner splices)
      throws IOException {
    int found = 0;
    int headBytes = run.deep ? DEEP_HEAD_BYTES : BANNER_BYTES;
    for (Sample s : heads) {
      if (s.offset() < 0 || s.offset() >= run.size) {
        continue;
      }
      int n = (int) Math.min(Math.min(headBytes, s.size()), run.size - s.offset());
      run.spendSampleBytes(n, where, "heads of the keyframes", s.index());
      ByteBuffer b = run.read(s.offset(), n);
      if (splices != null) {
        splices.keyframe(s, b);
      }
      String text = new String(b.array(), 0, b.remaining(), StandardCharsets.ISO_8859_1);
      int at = text.indexOf("x264 - core");
      if (at < 0) {
        continue;
      }
      found++;
      int end = text.indexOf('\0', at);
      String banner =
          text.substring(at, end < 0 ? Math.min(text.length(), at + 120) : Math.min(end, at + 120));
      if (run.encoder == null) {
        run.encoder = banner;
      } else if (found >= 2) {
        run.findings.add(
            MediaFinding.at(
                MediaFindingCode.SECOND_ENCODER_BANNER,
                where
                    + ": a second x264 banner at keyframe sample "
                    + s.index()
                    + ": footage from another encode was spliced in",
                trackId,
                s.index(),
                (double) s.decodeTime() / timescale,
                s.offset()));
      }
    }
  }
}
