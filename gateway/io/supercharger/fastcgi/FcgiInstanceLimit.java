package io.supercharger.fastcgi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on open connections to one FPM instance, shared by the FastCGI clients of all event
 * loops.
 *
 * <p>One permit is one open socket, from connect until its close is seen, idle pooled sockets
 * included. With {@code maxConnections == pm.max_children} every socket has an FPM child: a
 * kept-alive socket binds its child, so one more socket would sit in the listen backlog forever.
 *
 * <p>Lock-free: the count is an {@link AtomicInteger}; waiters sit in a bounded FIFO and are
 * resumed on their own Vert.x context. A release hands its permit to the oldest waiter. The
 * lost-wakeup race between "release, then look for waiters" and "enqueue, then try again" is closed
 * because both sides re-check after their own write ({@link #drain()}).
 */
public final class FcgiInstanceLimit {

  /** A per-loop pool that holds idle connections, so a waiter elsewhere can ask it to close one. */
  interface IdleReclaimer {
    int idleCount();

    /** Closes one idle connection, on the reclaimer's own context. */
    void reclaimOne();
  }

  private final int maxConnections;
  private final int maxWaiters;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger highWater = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final List<IdleReclaimer> reclaimers = new CopyOnWriteArrayList<>();

  /**
   * @param maxConnections the instance's pm.max_children
   * @param maxWaiters how many requests may wait for a slot; one more fails at once with SATURATED
   */
  public FcgiInstanceLimit(int maxConnections, int maxWaiters) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max_children: " + maxConnections + " (expected: > 0)");
    }
    if (maxWaiters < 0) {
      throw new IllegalArgumentException("maxWaiters: " + maxWaiters + " (expected: >= 0)");
    }
    this.maxConnections = maxConnections;
    this.maxWaiters = maxWaiters;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** Sockets open now (connecting, busy or idle). */
  public int open() {
    return open.get();
  }

  /** The most sockets ever open at once: the test's and the operator's proof that the cap held. */
  public int highWaterMark() {
    return highWater.get();
  }

  public int waiting() {
    return waiting.get();
  }

  void register(IdleReclaimer reclaimer) {
    reclaimers.add(reclaimer);
  }

  void unregister(IdleReclaimer reclaimer) {
    reclaimers.remove(reclaimer);
  }

  /**
   * A slot for a new connection: completes (on {@code context}) with null when a permit was
   * granted, or with a kept-alive connection handed over by {@link #handOver}, whose permit comes
   * with it.
   */
  Future<FcgiConnection> acquire(Context context, long maxWaitMs, boolean acceptsReuse) {
    if (waiters.isEmpty() && tryAcquire()) {
      return Future.succeededFuture();
    }
    if (waiting.incrementAndGet() > maxWaiters) {
      waiting.decrementAndGet();
      return Future.failedFuture(saturated("wait queue full (" + maxWaiters + " waiting)"));
    }
    Waiter waiter = new Waiter(context, acceptsReuse);
    waiter.timer =
        context
            .owner()
            .setTimer(
                Math.max(1, maxWaitMs),
                t -> {
                  if (waiter.claim()) {
                    waiters.remove(waiter);
                    waiting.decrementAndGet();
                    waiter.promise.fail(
                        saturated("no connection slot within " + maxWaitMs + " ms"));
                  }
                });
    waiters.add(waiter);
    drain();
    askForIdle();
    return waiter.promise.future();
  }

  /** Called once per socket when its close is seen, or when a connect attempt fails. */
  void release() {
    open.decrementAndGet();
    drain();
  }

  /**
   * Gives a kept-alive connection, permit included, to the oldest waiter if it runs on {@code
   * context}. Any other waiter is better served by closing the connection (see the pool).
   */
  boolean handOver(Context context, FcgiConnection connection) {
    Waiter head = waiters.peek();
    if (head == null || head.context != context || !head.acceptsReuse || !head.claim()) {
      return false;
    }
    waiters.remove(head);
    waiting.decrementAndGet();
    head.grant(connection);
    return true;
  }

  boolean hasWaiters() {
    return !waiters.isEmpty();
  }

  private boolean tryAcquire() {
    while (true) {
      int n = open.get();
      if (n >= maxConnections) {
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        highWater.accumulateAndGet(n + 1, Math::max);
        return true;
      }
    }
  }

  private void drain() {
    while (!waiters.isEmpty() && tryAcquire()) {
      Waiter waiter = waiters.poll();
      if (waiter == null || !waiter.claim()) {
        open.decrementAndGet(); // lost a race with another drain or a timeout; the loop re-checks
        continue;
      }
      waiting.decrementAndGet();
      waiter.grant(null);
    }
  }

  /**
   * Idle sockets on other loops hold permits that a waiter needs: ask one pool to give one back.
   */
  private void askForIdle() {
    for (IdleReclaimer reclaimer : reclaimers) {
      if (reclaimer.idleCount() > 0) {
        reclaimer.reclaimOne();
        return;
      }
    }
  }

  private static FastCgiException saturated(String message) {
    return new FastCgiException(FastCgiException.Kind.SATURATED, message, false);
  }

  private static final class Waiter {
    final Context context;
    final boolean acceptsReuse;
    final Promise<FcgiConnection> promise = Promise.promise();
    final AtomicInteger state = new AtomicInteger(); // 0 waiting, 1 granted or timed out
    volatile long timer;

    Waiter(Context context, boolean acceptsReuse) {
      this.context = context;
      this.acceptsReuse = acceptsReuse;
    }

    boolean claim() {
      return state.compareAndSet(0, 1);
    }

    void grant(FcgiConnection connection) {
      context.runOnContext(
          v -> {
            context.owner().cancelTimer(timer);
            promise.complete(connection);
          });
    }
  }
}
