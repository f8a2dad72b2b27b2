package org.evidencekit.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The target: 10,000 recordings and 1,000 actions (a bureau's month) analysed in under a second, so
 * a supervisor can re-run the analysis interactively. 100 devices record 3-minute split files with
 * occasional stops and missing files; actions of 10 to 60 minutes fall on random devices.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ContinuityBenchmark {
  @Param({"10000"})
  int recordings;

  @Param({"1000"})
  int actions;

  List<RecordingSpan> spans;
  List<EnforcementAction> acts;

  @Setup
  public void setUp() {
    Random r = new Random(8);
    Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
    spans = new ArrayList<>();
    int devices = 100;
    int perDevice = recordings / devices;
    for (int d = 0; d < devices; d++) {
      Instant t = t0.plusSeconds(r.nextInt(3600));
      int seq = 1;
      for (int i = 0; i < perDevice; i++) {
        if (r.nextInt(20) == 0) {
          t = t.plusSeconds(60 + r.nextInt(600)); // a stop
        }
        if (r.nextInt(50) == 0) {
          seq++; // a missing file
        }
        spans.add(
            RecordingSpan.builder("D" + d + "_" + seq)
                .deviceId("D" + d)
                .sequence(seq++)
                .start(t)
                .end(t.plusSeconds(180))
                .build());
        t = t.plusSeconds(180);
      }
    }
    acts = new ArrayList<>();
    for (int a = 0; a < actions; a++) {
      Instant s = t0.plusSeconds(r.nextInt(perDevice * 180));
      acts.add(
          EnforcementAction.builder()
              .id("A" + a)
              .type(a % 2 == 0 ? EnforcementAction.ON_SITE_INSPECTION : "consultation")
              .span(new Interval(s, s.plusSeconds(600 + r.nextInt(3000))))
              .deviceIds(List.of("D" + r.nextInt(devices)))
              .build());
    }
  }

  @Benchmark
  public ContinuityReport analyze() {
    return ContinuityAnalyzer.create().analyze(spans, acts, List.of());
  }
}
