package io.supercharger.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slowloris protection for one event loop. A connection that is waiting for a request head — new,
 * or idle after a response on keep-alive — must deliver one within its allowance: header_read_ms
 * for a new connection, idle_ms plus header_read_ms between requests (each byte resets the idle
 * timer, so the idle timeout alone never ends a client that dribbles its head). Waiting connections
 * sit in arrival order, so one sweep a second closes the overdue ones from the front. Confined to
 * its event loop: no locking.
 */
final class HeadTimeouts {
  private final long firstHeadNanos;
  private final long nextHeadNanos;

  /** Waiting connections and the time by which their head must be complete, oldest first. */
  private final LinkedHashMap<HttpConnection, Long> waiting = new LinkedHashMap<>();

  HeadTimeouts(Vertx vertx, long headerReadMs, long idleMs) {
    this.firstHeadNanos = headerReadMs * 1_000_000L;
    this.nextHeadNanos = (headerReadMs + idleMs) * 1_000_000L;
    vertx.setPeriodic(
        Math.max(50, Math.min(1000, headerReadMs / 4)), id -> sweep(System.nanoTime()));
  }

  void connected(HttpConnection connection) {
    waiting.put(connection, System.nanoTime() + firstHeadNanos);
    connection.closeHandler(v -> waiting.remove(connection));
  }

  void requestArrived(HttpConnection connection) {
    if (!waiting.isEmpty()) {
      waiting.remove(connection);
    }
  }

  /** A response ended: the connection waits for its next request head. */
  void responded(HttpConnection connection) {
    waiting.remove(connection);
    waiting.put(connection, System.nanoTime() + nextHeadNanos);
  }

  /**
   * Deadlines differ for first and next heads, so the order is only nearly by deadline; the sweep
   * checks every entry, which stays cheap because only waiting connections are listed.
   */
  private void sweep(long now) {
    Iterator<Map.Entry<HttpConnection, Long>> it = waiting.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<HttpConnection, Long> e = it.next();
      if (e.getValue() - now <= 0) {
        it.remove();
        e.getKey().close();
      }
    }
  }
}
