package io.supercharger.server;

import io.supercharger.upstream.DeadlineQueue;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Slowloris protection for one event loop. A connection that is waiting for a request head — new,
 * or idle after a response on keep-alive — must deliver one within its allowance: header_read_ms
 * for a new connection, idle_ms plus header_read_ms between requests (each byte resets the idle
 * timer, so the idle timeout alone never ends a client that dribbles its head). One deadline queue
 * per allowance keeps each in deadline order; a connection keeps one entry, moved between them, so
 * a request allocates nothing here. Confined to its event loop: no locking.
 */
final class HeadTimeouts {
  private final DeadlineQueue firstHead;
  private final DeadlineQueue nextHead;
  private final Map<HttpConnection, DeadlineQueue.Entry> byConnection = new IdentityHashMap<>();

  HeadTimeouts(Vertx vertx, long headerReadMs, long idleMs) {
    long sweepMs = Math.max(50, Math.min(1000, headerReadMs / 4));
    this.firstHead = new DeadlineQueue(vertx, headerReadMs, sweepMs);
    this.nextHead = new DeadlineQueue(vertx, headerReadMs + idleMs, sweepMs);
  }

  void connected(HttpConnection connection) {
    DeadlineQueue.Entry waiting = new DeadlineQueue.Entry(connection::close);
    byConnection.put(connection, waiting);
    firstHead.schedule(waiting);
    connection.closeHandler(
        v -> {
          firstHead.cancel(waiting);
          byConnection.remove(connection);
        });
  }

  void requestArrived(HttpConnection connection) {
    firstHead.cancel(byConnection.get(connection));
  }

  /** A response ended: the connection waits for its next request head. */
  void responded(HttpConnection connection) {
    DeadlineQueue.Entry waiting = byConnection.get(connection);
    if (waiting != null) {
      nextHead.schedule(waiting);
    }
  }
}
