package io.supercharger.config;

import java.util.List;
import java.util.Map;

/**
 * What each engine does by default: how it is recycled and where its stats come from. A pool's own
 * {@code recycle} and {@code stats} win. FPM has no default recycle: pm.max_requests already renews
 * its children, so an fpm pool joins the lifecycle only when it names an action.
 */
final class EngineDefaults {
  private EngineDefaults() {}

  static RecycleConfig recycle(String engine) {
    return switch (engine) {
      // The runner finishes the request in flight on SIGTERM and exits; its supervisor restarts it.
      case "php-worker" ->
          new RecycleConfig("signal", List.of(), null, null, Map.of(), "TERM", null);
      // RoadRunner: `rr reset` restarts the HTTP plugin's workers through its RPC endpoint.
      case "roadrunner" ->
          new RecycleConfig(
              "exec",
              List.of("rr", "reset", "http", "-o", "rpc.listen=tcp://{host}:6001"),
              null,
              null,
              Map.of(),
              null,
              null);
      // FrankenPHP's admin API restarts all workers of that server.
      case "frankenphp" ->
          new RecycleConfig(
              "http",
              List.of(),
              "POST",
              "http://{host}:2019/frankenphp/workers/restart",
              Map.of(),
              null,
              null);
      // Swoole reloads its workers on SIGUSR1 to the master (pid from pid_file or the stats).
      case "swoole" -> new RecycleConfig("signal", List.of(), null, null, Map.of(), "USR1", null);
      default -> null;
    };
  }

  static String statsUrl(String engine) {
    return switch (engine) {
      case "php-worker" -> "/__worker/status";
      case "roadrunner" -> "http://{host}:2112/metrics";
      case "frankenphp" -> "http://{host}:2019/metrics";
      case "fpm" -> "/__fpm/status";
      default -> "";
    };
  }
}
