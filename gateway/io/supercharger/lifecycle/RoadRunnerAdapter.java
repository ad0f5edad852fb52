package io.supercharger.lifecycle;

import io.supercharger.telemetry.PrometheusText;
import io.supercharger.upstream.InstanceStats;
import java.util.OptionalDouble;

/**
 * RoadRunner: the metrics plugin's Prometheus text ({@code metrics.address}, default URL {@code
 * http://{host}:2112/metrics}). Source: docs.roadrunner.dev "Metrics" (roadrunner-server/docs
 * lab/metrics.md) and the plugin's stats exporter:
 *
 * <ul>
 *   <li>{@code rr_http_worker_memory_bytes{pid="…"}}: one worker's RSS;
 *   <li>{@code rr_http_workers_memory_bytes}: the sum over the workers;
 *   <li>{@code rr_http_uptime_seconds}: the plugin's uptime, only with the {@code http_metrics}
 *       middleware enabled.
 * </ul>
 *
 * <p>The instance's memory is the <b>largest worker's</b> RSS, not the sum: the gateway's
 * max_memory_mb is the runbook's per-worker limit (RoadRunner's own {@code
 * supervisor.max_worker_memory} is per worker too, and FPM's reading is a max over children), and a
 * sum would grow with num_workers and fire on a healthy, wider pool. Without per-worker series
 * (older RoadRunner) the sum is reported, with memoryKind saying so.
 *
 * <p>Readiness: the status plugin's {@code /ready} answers 200 when a worker is free
 * (lab/health.md); it listens on its own address, so it is not wired as the probe (the probe
 * targets the instance's HTTP address). Point {@code probe.path} at an application health route
 * instead.
 */
final class RoadRunnerAdapter {
  static final String WORKER_MEMORY = "rr_http_worker_memory_bytes";
  static final String WORKERS_MEMORY = "rr_http_workers_memory_bytes";
  static final String UPTIME = "rr_http_uptime_seconds";

  private RoadRunnerAdapter() {}

  static InstanceStats parse(PrometheusText metrics) {
    if (!metrics.hasPrefix("rr_http_")) {
      throw new IllegalStateException(
          "no rr_http_* metrics: is the metrics plugin on and the http plugin running?");
    }
    OptionalDouble perWorker = metrics.max(WORKER_MEMORY);
    OptionalDouble total = metrics.sum(WORKERS_MEMORY);
    Long memory = null;
    String kind = null;
    if (perWorker.isPresent()) {
      memory = (long) perWorker.getAsDouble();
      kind = "rss_max_worker";
    } else if (total.isPresent()) {
      memory = (long) total.getAsDouble();
      kind = "rss_all_workers";
    }
    OptionalDouble uptime = metrics.max(UPTIME);
    return new InstanceStats(
        memory, kind, uptime.isPresent() ? uptime.getAsDouble() : null, null, null);
  }
}
