package org.evidencekit.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a recording's timeline from its index, warm. Pass the file with {@code -p file=...}; the
 * target is a 60-minute recording under 50 ms, so that an ingest station can probe a whole card of
 * them in a moment (see benchmarks/README.md for how the 60-minute file is made with ffmpeg).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class ProbeBenchmark {
  @Param({"evidence-video/src/test/resources/fixtures/f01_clean/DEVCAM7_20230601_140000_001.mp4"})
  String file;

  @Benchmark
  public RecordingTimeline probe() throws IOException {
    return MediaProbe.create().probe(Path.of(file));
  }
}
