package io.supercharger.upstream;

import io.vertx.core.Vertx;

/**
 * Deadlines of one event loop that all share one timeout: in arrival order they are also in
 * deadline order, so a FIFO list and one periodic sweep replace a timer per request (no schedule
 * and cancel on the hot path). Used only from its own event loop, so it needs no locking.
 */
final class DeadlineQueue {
  /** A pending deadline; {@link #cancel()} takes it out in O(1). */
  static final class Entry {
    private final long deadlineNanos;
    private final Runnable onExpire;
    private Entry prev;
    private Entry next;
    private boolean linked;

    private Entry(long deadlineNanos, Runnable onExpire) {
      this.deadlineNanos = deadlineNanos;
      this.onExpire = onExpire;
    }
  }

  private final long timeoutNanos;
  private Entry head;
  private Entry tail;

  /**
   * @param sweepMs how often expired entries are looked for: the timeout's granularity
   */
  DeadlineQueue(Vertx vertx, long timeoutMs, long sweepMs) {
    this.timeoutNanos = timeoutMs * 1_000_000L;
    vertx.setPeriodic(sweepMs, id -> sweep(System.nanoTime()));
  }

  Entry add(Runnable onExpire) {
    Entry e = new Entry(System.nanoTime() + timeoutNanos, onExpire);
    e.prev = tail;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
    e.linked = true;
    return e;
  }

  void cancel(Entry e) {
    if (e == null || !e.linked) {
      return;
    }
    e.linked = false;
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }

  void sweep(long now) {
    while (head != null && head.deadlineNanos - now <= 0) {
      Entry expired = head;
      cancel(expired);
      expired.onExpire.run();
    }
  }
}
