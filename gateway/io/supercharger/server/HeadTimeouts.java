package io.supercharger.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Slowloris protection for one event loop. A connection that is waiting for a request head — new,
 * or idle after a response on keep-alive — must deliver one within its allowance: header_read_ms
 * for a new connection, idle_ms plus header_read_ms between requests (each byte resets the idle
 * timer, so the idle timeout alone never ends a client that dribbles its head). Waiting connections
 * sit in a list linked through one node per connection, so a request moves its node instead of
 * allocating an entry, and one sweep a second closes the overdue ones. Confined to its event loop:
 * no locking.
 */
final class HeadTimeouts {
  /** A connection's place in the waiting list: made once per connection, relinked per request. */
  private static final class Waiting {
    final HttpConnection connection;
    long deadlineNanos;
    Waiting prev;
    Waiting next;
    boolean linked;

    Waiting(HttpConnection connection) {
      this.connection = connection;
    }
  }

  private final long firstHeadNanos;
  private final long nextHeadNanos;
  private final Map<HttpConnection, Waiting> byConnection = new IdentityHashMap<>();

  /** Waiting connections, oldest first; a response moves its connection to the end. */
  private Waiting head;

  private Waiting tail;

  HeadTimeouts(Vertx vertx, long headerReadMs, long idleMs) {
    this.firstHeadNanos = headerReadMs * 1_000_000L;
    this.nextHeadNanos = (headerReadMs + idleMs) * 1_000_000L;
    vertx.setPeriodic(
        Math.max(50, Math.min(1000, headerReadMs / 4)), id -> sweep(System.nanoTime()));
  }

  void connected(HttpConnection connection) {
    Waiting w = new Waiting(connection);
    byConnection.put(connection, w);
    link(w, System.nanoTime() + firstHeadNanos);
    connection.closeHandler(
        v -> {
          unlink(w);
          byConnection.remove(connection);
        });
  }

  void requestArrived(HttpConnection connection) {
    if (head != null) {
      Waiting w = byConnection.get(connection);
      if (w != null) {
        unlink(w);
      }
    }
  }

  /** A response ended: the connection waits for its next request head. */
  void responded(HttpConnection connection) {
    Waiting w = byConnection.get(connection);
    if (w != null) {
      unlink(w);
      link(w, System.nanoTime() + nextHeadNanos);
    }
  }

  /**
   * Deadlines differ for first and next heads, so the order is only nearly by deadline; the sweep
   * checks every entry, which stays cheap because only waiting connections are listed.
   */
  private void sweep(long now) {
    Waiting w = head;
    while (w != null) {
      Waiting next = w.next;
      if (w.deadlineNanos - now <= 0) {
        unlink(w);
        w.connection.close();
      }
      w = next;
    }
  }

  private void link(Waiting w, long deadlineNanos) {
    w.deadlineNanos = deadlineNanos;
    w.prev = tail;
    w.next = null;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    w.linked = true;
  }

  private void unlink(Waiting w) {
    if (!w.linked) {
      return;
    }
    w.linked = false;
    if (w.prev == null) {
      head = w.next;
    } else {
      w.prev.next = w.next;
    }
    if (w.next == null) {
      tail = w.prev;
    } else {
      w.next.prev = w.prev;
    }
    w.prev = null;
    w.next = null;
  }
}
