package io.supercharger.lifecycle;

import io.supercharger.upstream.InstanceStats;
import io.vertx.core.json.JsonObject;

/**
 * Swoole: a stats URL that the application serves (Swoole has no stats endpoint of its own), e.g. a
 * route whose handler answers {@code json_encode($server->stats() + ['master_pid' =>
 * $server->master_pid, 'memory_bytes' => memory_get_usage(true)])}. Fields read:
 *
 * <ul>
 *   <li>{@code start_time}: unix seconds when the server started, from {@code Server->stats()}
 *       (swoole-wiki "Server->stats"; php.net Swoole\Server::stats). Gives the uptime.
 *   <li>{@code master_pid} (optional, added by the handler from {@code $server->master_pid}): the
 *       pid the default USR1 reload is sent to when no pid_file is set.
 *   <li>{@code memory_bytes} (optional, added by the handler): stats() has no memory figure, so the
 *       handler reports one; what it measures is the handler's choice (memoryKind "reported").
 * </ul>
 *
 * Every other stats() field (connection_num, request_count, worker_request_count, …) is ignored.
 */
final class SwooleAdapter {

  private SwooleAdapter() {}

  static InstanceStats parse(JsonObject stats, double nowEpochSeconds) {
    Number start = stats.getNumber("start_time");
    if (start == null) {
      throw new IllegalStateException(
          "no start_time: expected the JSON of Swoole's $server->stats()");
    }
    Number memory = stats.getNumber("memory_bytes");
    Number pid = stats.getNumber("master_pid");
    return new InstanceStats(
        memory == null ? null : memory.longValue(),
        memory == null ? null : "reported",
        Math.max(0, nowEpochSeconds - start.doubleValue()),
        pid == null ? null : pid.longValue(),
        null);
  }
}
