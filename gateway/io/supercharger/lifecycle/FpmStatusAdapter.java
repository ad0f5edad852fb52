package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * php-fpm: the pool's status page (pm.status_path) with {@code ?json&full}, fetched over FastCGI.
 * Fields as php-src sapi/fpm/fpm/fpm_status.c prints them (and the manual's "FPM status page"):
 *
 * <ul>
 *   <li>{@code "start since"}: seconds since the pool started; a graceful reload (USR2) restarts
 *       it, so it is the instance's uptime;
 *   <li>{@code processes[]}: per child {@code pid}, {@code "start time"}, {@code requests}, and
 *       {@code "last request memory"}: the peak memory of that child's last request, printed only
 *       while the child is idle (0 while it runs one).
 * </ul>
 *
 * <p>The memory is the largest "last request memory" over the children, memoryKind {@code
 * last_request_peak}: a request's peak PHP allocation, not the child's RSS. FPM reports no RSS.
 *
 * <p>The status page has no master pid, which the USR2 reload needs. When the instance is on this
 * host, the master is found as the parent of a listed child, and only if both are php-fpm processes
 * (a different pid namespace would otherwise name a stranger). Elsewhere set {@code
 * recycle.pid_file}.
 */
final class FpmStatusAdapter implements EngineAdapter {
  static final String QUERY = "json&full";

  private final FpmPages pages;
  private final String statusPath;

  FpmStatusAdapter(FpmPages pages, String statusPath) {
    this.pages = pages;
    this.statusPath = statusPath;
  }

  @Override
  public Future<InstanceStats> fetch(Instance instance) {
    return pages
        .get(instance, statusPath, QUERY)
        .map(
            page -> {
              if (page.status() != 200) {
                throw new IllegalStateException(
                    "FPM status page "
                        + statusPath
                        + " answered "
                        + page.status()
                        + ": is pm.status_path set to it?");
              }
              JsonObject status = new JsonObject(page.body());
              return parse(status, isLocal(instance) ? masterPid(status) : null);
            });
  }

  static InstanceStats parse(JsonObject status, Long masterPid) {
    JsonArray processes = status.getJsonArray("processes");
    if (processes == null) {
      throw new IllegalStateException("FPM status without \"processes\": expected ?json&full");
    }
    Long memory = null;
    for (int i = 0; i < processes.size(); i++) {
      Number m = processes.getJsonObject(i).getNumber("last request memory");
      if (m != null && (memory == null || m.longValue() > memory)) {
        memory = m.longValue();
      }
    }
    Number since = status.getNumber("start since");
    return new InstanceStats(
        memory,
        memory == null ? null : "last_request_peak",
        since == null ? null : since.doubleValue(),
        masterPid,
        null);
  }

  /** The parent of the first listed child, if both are php-fpm processes on this host. */
  static Long masterPid(JsonObject status) {
    JsonArray processes = status.getJsonArray("processes");
    if (processes == null || processes.isEmpty()) {
      return null;
    }
    Number child = processes.getJsonObject(0).getNumber("pid");
    if (child == null) {
      return null;
    }
    Optional<ProcessHandle> parent =
        ProcessHandle.of(child.longValue())
            .filter(FpmStatusAdapter::isFpm)
            .flatMap(ProcessHandle::parent)
            .filter(FpmStatusAdapter::isFpm);
    return parent.map(ProcessHandle::pid).orElse(null);
  }

  private static boolean isFpm(ProcessHandle process) {
    return process.info().command().map(c -> c.contains("php-fpm")).orElse(false);
  }

  private static boolean isLocal(Instance instance) {
    String host = instance.address().host();
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("[::1]");
  }
}
