package io.supercharger.lifecycle;

import io.supercharger.upstream.InstanceStats;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's PHP worker runner: its status path answers JSON with pid, rss_bytes, uptime_seconds
 * and, when the app resets between requests, reset counters.
 */
final class PhpWorkerAdapter {

  private PhpWorkerAdapter() {}

  static InstanceStats parse(JsonObject status) {
    Long rss = status.getLong("rss_bytes");
    Long memory = rss != null ? rss : status.getLong("memory_bytes");
    Map<String, Long> resets = null;
    JsonObject r = status.getJsonObject("resets");
    if (r != null) {
      resets = new LinkedHashMap<>();
      for (String key : r.fieldNames()) {
        // Either a count, or {enabled, count} as the Symfony runner reports it.
        Object v = r.getValue(key);
        if (v instanceof Number n) {
          resets.put(key, n.longValue());
        } else if (v instanceof JsonObject o && o.getValue("count") instanceof Number n) {
          resets.put(key, n.longValue());
        }
      }
    }
    Number uptime = status.getNumber("uptime_seconds");
    return new InstanceStats(
        memory,
        rss != null ? "rss" : "php_allocated",
        uptime == null ? null : uptime.doubleValue(),
        status.getLong("pid"),
        resets);
  }
}
