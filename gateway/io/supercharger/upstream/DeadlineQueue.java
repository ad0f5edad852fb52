package io.supercharger.upstream;

import io.vertx.core.Vertx;

/**
 * Deadlines of one event loop that all share one timeout: in arrival order they are also in
 * deadline order, so a FIFO list and one periodic sweep replace a timer per request (no schedule
 * and cancel on the hot path). An entry can be scheduled again, here or in another queue of the
 * same loop, so a caller that restarts a deadline often keeps one entry instead of making one each
 * time. Used only from its own event loop, so it needs no locking.
 */
public final class DeadlineQueue {
  /** A deadline; {@link #cancel} takes it out of its queue in O(1). */
  public static final class Entry {
    private final Runnable onExpire;
    private long deadlineNanos;
    private DeadlineQueue queue;
    private Entry prev;
    private Entry next;

    /** An entry not yet in any queue: {@link #schedule} puts it in one. */
    public Entry(Runnable onExpire) {
      this.onExpire = onExpire;
    }
  }

  private final long timeoutNanos;
  private Entry head;
  private Entry tail;

  /**
   * @param sweepMs how often expired entries are looked for: the timeout's granularity
   */
  public DeadlineQueue(Vertx vertx, long timeoutMs, long sweepMs) {
    this.timeoutNanos = timeoutMs * 1_000_000L;
    vertx.setPeriodic(sweepMs, id -> sweep(System.nanoTime()));
  }

  Entry add(Runnable onExpire) {
    Entry e = new Entry(onExpire);
    schedule(e);
    return e;
  }

  /** Starts {@code e}'s timeout from now in this queue, taking it out of any queue it was in. */
  public void schedule(Entry e) {
    cancel(e);
    e.deadlineNanos = System.nanoTime() + timeoutNanos;
    e.queue = this;
    e.prev = tail;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
  }

  /** Takes {@code e} out of whichever queue holds it; a no-op for null or an unqueued entry. */
  public void cancel(Entry e) {
    if (e != null && e.queue != null) {
      e.queue.unlink(e);
    }
  }

  private void unlink(Entry e) {
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
    e.queue = null;
  }

  void sweep(long now) {
    while (head != null && head.deadlineNanos - now <= 0) {
      Entry expired = head;
      unlink(expired);
      expired.onExpire.run();
    }
  }
}
