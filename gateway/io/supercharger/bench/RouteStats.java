package io.supercharger.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latencies and outcomes of one scenario route. Any thread records; one thread (the ticker)
 * takes the interval since its last tick. HdrHistogram's {@link Recorder} makes that swap wait-free
 * for the recording side, so an event loop never blocks on the report.
 */
final class RouteStats {
  /** Latencies are recorded in microseconds, up to an hour. */
  static final long MAX_MICROS = 3_600_000_000L;

  final String route;
  final String requestClass;
  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final AtomicLongArray interval = new AtomicLongArray(Outcome.values().length);
  private Histogram recycled;

  RouteStats(String route, String requestClass) {
    this.route = route;
    this.requestClass = requestClass;
  }

  /**
   * Records one request: its latency (from its scheduled time in open-loop mode) and its outcome.
   */
  void record(long latencyNanos, Outcome outcome) {
    long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1000));
    recorder.recordValue(micros);
    interval.incrementAndGet(outcome.ordinal());
  }

  /**
   * The latencies since the last call, and the outcome counts over the same span. Ticker thread
   * only.
   */
  Snapshot takeInterval() {
    Histogram h = recorder.getIntervalHistogram(recycled);
    long[] outcomes = new long[Outcome.values().length];
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = interval.getAndSet(i, 0);
    }
    Histogram copy = h.copy();
    recycled = h;
    return new Snapshot(copy, outcomes);
  }

  record Snapshot(Histogram latencies, long[] outcomes) {}
}
