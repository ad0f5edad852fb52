package io.supercharger.lifecycle;

import io.supercharger.telemetry.PrometheusText;
import io.supercharger.upstream.InstanceStats;
import java.util.OptionalDouble;

/**
 * FrankenPHP: Caddy's metrics endpoint (the admin API, default URL {@code
 * http://{host}:2019/metrics}). Source: frankenphp.dev/docs/metrics (php/frankenphp
 * docs/metrics.md) lists the frankenphp_* series (frankenphp_total_workers,
 * frankenphp_ready_workers, frankenphp_worker_request_count, …); none of them is a memory reading.
 * PHP threads live inside the one FrankenPHP process, so its memory is the Go process collector's
 * {@code process_resident_memory_bytes} that Caddy exposes beside them, and its uptime comes from
 * {@code process_start_time_seconds}.
 *
 * <p>A body without any frankenphp_* series is refused: that URL is some other process (or Caddy
 * without FrankenPHP), and its RSS must not be taken for the PHP server's.
 */
final class FrankenPhpAdapter {
  static final String RSS = "process_resident_memory_bytes";
  static final String START = "process_start_time_seconds";

  private FrankenPhpAdapter() {}

  static InstanceStats parse(PrometheusText metrics, double nowEpochSeconds) {
    if (!metrics.hasPrefix("frankenphp_")) {
      throw new IllegalStateException(
          "no frankenphp_* metrics: enable Caddy metrics (the `metrics` global option)");
    }
    OptionalDouble rss = metrics.max(RSS);
    OptionalDouble start = metrics.max(START);
    Double uptime = start.isPresent() ? Math.max(0, nowEpochSeconds - start.getAsDouble()) : null;
    return new InstanceStats(
        rss.isPresent() ? (long) rss.getAsDouble() : null,
        rss.isPresent() ? "rss" : null,
        uptime,
        null,
        null);
  }
}
