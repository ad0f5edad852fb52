package io.supercharger.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.supercharger.config.PoolConfig;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A set of instances that serve one pool, shared by all event loops. Selection is least-in-flight
 * among READY instances under their cap; when none has a free slot, requests wait in a bounded FIFO
 * for at most queue_timeout_ms, then get 503.
 *
 * <p>A slot freed on one event loop goes to the oldest waiter of that same loop when that waiter is
 * at most {@link #SAME_LOOP_PATIENCE_MS} ms younger than the oldest waiter overall. Upstream
 * connections belong to a loop: a slot granted across loops makes the winner open a connection of
 * its own, and for php-fpm, whose children each serve one connection, the freed one must be closed
 * first. Strict FIFO across two loops closed and reopened about a third of FPM connections.
 */
public final class Pool {
  /** How far a waiter on the releasing loop may overtake older waiters on other loops. */
  public static final long SAME_LOOP_PATIENCE_MS = 2;

  /** Same-loop waiters are looked for among this many of the oldest: the scan stays O(1). */
  private static final int SAME_LOOP_SCAN = 64;

  private final int index;
  private final PoolConfig config;
  private final Instance[] instances;
  private final Vertx vertx;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile BiPredicate<Instance, RecycleReason> recycler = (instance, reason) -> false;
  private final CircuitBreaker breaker;

  /**
   * Where traffic goes while this pool's circuit is open: the canary's baseline, or the fallback.
   */
  private volatile Pool divertTo;

  public Pool(int index, PoolConfig config, Vertx vertx, Clock clock) {
    this.index = index;
    this.config = config;
    this.vertx = vertx;
    this.clock = clock;
    this.instances =
        config.instances().stream()
            .map(a -> new Instance(config.name(), a, config.maxInFlight(), clock))
            .toArray(Instance[]::new);
    this.breaker = CircuitBreaker.of(config.name(), BREAKER);
    for (Instance instance : instances) {
      instance.onStateChange(
          i -> {
            if (i.state().takesRequests()) {
              dispatchWaiters(null);
            }
          });
    }
  }

  /**
   * Trips when half of the last 50 requests (at least 20) failed with a 5xx or an upstream error;
   * probes again after 10 s with 5 requests.
   */
  static final CircuitBreakerConfig BREAKER =
      CircuitBreakerConfig.custom()
          // Lock-free: every event loop records every response into the same window.
          .slidingWindow(
              50,
              20,
              CircuitBreakerConfig.SlidingWindowType.COUNT_BASED,
              CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
          .failureRateThreshold(50)
          .waitDurationInOpenState(java.time.Duration.ofSeconds(10))
          .permittedNumberOfCallsInHalfOpenState(5)
          .automaticTransitionFromOpenToHalfOpenEnabled(false)
          .build();

  public CircuitBreaker breaker() {
    return breaker;
  }

  public Pool divertTo() {
    return divertTo;
  }

  public void divertTo(Pool pool) {
    this.divertTo = pool;
  }

  public int index() {
    return index;
  }

  public String name() {
    return config.name();
  }

  public PoolConfig config() {
    return config;
  }

  public List<Instance> instances() {
    return List.of(instances);
  }

  /** Who drains and recycles this pool's instances on request (the lifecycle, when active). */
  public void recycler(BiPredicate<Instance, RecycleReason> recycler) {
    this.recycler = recycler;
  }

  /**
   * Asks for a recycle (self-signalled or manual); false when lifecycle is off or it was refused.
   */
  public boolean requestRecycle(Instance instance, RecycleReason reason) {
    return recycler.test(instance, reason);
  }

  public int waiting() {
    return waiting.get();
  }

  public boolean hasReadyInstance() {
    for (Instance i : instances) {
      if (i.state().takesRequests()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Grants a slot on {@code context}: at once when one is free, else after a bounded wait. The
   * handlers run on the caller's context.
   */
  /**
   * @return a way to leave the queue when the request had to wait (the client went away), else null
   */
  public Runnable acquire(
      Context context, Handler<Instance> onGranted, Handler<FailureKind> onFailed) {
    Instance instance = tryAcquire();
    if (instance != null) {
      onGranted.handle(instance);
      return null;
    }
    if (!anyExpectedSoon() || config.queueTimeoutMs() == 0) {
      onFailed.handle(FailureKind.UNAVAILABLE);
      return null;
    }
    if (waiting.incrementAndGet() > config.maxQueue()) {
      waiting.decrementAndGet();
      onFailed.handle(FailureKind.UNAVAILABLE);
      return null;
    }
    Waiter waiter = new Waiter(context, clock.millis(), onGranted, onFailed);
    waiters.add(waiter);
    waiter.timerId =
        vertx.setTimer(
            config.queueTimeoutMs(),
            id -> {
              if (waiter.claim()) {
                waiters.remove(waiter);
                waiting.decrementAndGet();
                onFailed.handle(FailureKind.UNAVAILABLE);
              }
            });
    // A slot may have been released between tryAcquire and enqueue.
    dispatchWaiters(context);
    return () -> {
      if (waiter.claim()) {
        waiters.remove(waiter);
        waiting.decrementAndGet();
        vertx.cancelTimer(waiter.timerId);
      }
    };
  }

  /**
   * Takes a slot on one given instance and counts the request, the way a grant would. For callers
   * that must reach one particular instance.
   */
  public boolean acquireOn(Instance instance) {
    if (!instance.tryAcquire()) {
      return false;
    }
    instance.countRequest();
    return true;
  }

  /**
   * @param releasedOn the event loop's context the request ran on: its own waiters go first (see
   *     the class comment)
   */
  public void release(Instance instance, Context releasedOn) {
    instance.release();
    if (!waiters.isEmpty()) {
      dispatchWaiters(releasedOn);
    }
  }

  /** Least in-flight among READY instances with a free slot; ties broken from a random start. */
  Instance tryAcquire() {
    int n = instances.length;
    for (int attempt = 0; attempt < 4; attempt++) {
      int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
      Instance best = null;
      int bestInFlight = Integer.MAX_VALUE;
      for (int k = 0; k < n; k++) {
        Instance candidate = instances[(start + k) % n];
        int load = candidate.inFlight();
        if (candidate.state().takesRequests() && load < bestInFlight) {
          best = candidate;
          bestInFlight = load;
        }
      }
      if (best == null) {
        return null;
      }
      if (best.tryAcquire()) {
        return best;
      }
      // The least loaded one filled up meanwhile, or all are at their cap: look once more.
      if (allAtCap()) {
        return null;
      }
    }
    return null;
  }

  private boolean allAtCap() {
    for (Instance i : instances) {
      if (i.state().takesRequests()
          && (config.maxInFlight() == 0 || i.inFlight() < config.maxInFlight())) {
        return false;
      }
    }
    return true;
  }

  private boolean anyExpectedSoon() {
    for (Instance i : instances) {
      if (i.state().takesRequests() || i.state().isTransient()) {
        return true;
      }
    }
    return false;
  }

  private void dispatchWaiters(Context preferred) {
    while (!waiters.isEmpty()) {
      Instance slot = tryAcquire();
      if (slot == null) {
        return;
      }
      Waiter waiter = claimSameLoop(preferred);
      if (waiter == null) {
        do {
          waiter = waiters.poll();
        } while (waiter != null && !waiter.claim());
      }
      if (waiter == null) {
        slot.release();
        return;
      }
      waiting.decrementAndGet();
      Waiter granted = waiter;
      vertx.cancelTimer(granted.timerId);
      granted.context.runOnContext(v -> granted.onGranted.handle(slot));
    }
  }

  /** The oldest waiter on {@code loop}, if it is close enough in age to the oldest of all. */
  private Waiter claimSameLoop(Context loop) {
    Waiter oldest = waiters.peek();
    if (loop == null || oldest == null || oldest.context == loop) {
      return null;
    }
    int scanned = 0;
    for (Waiter w : waiters) {
      if (++scanned > SAME_LOOP_SCAN
          || w.enqueuedMillis - oldest.enqueuedMillis > SAME_LOOP_PATIENCE_MS) {
        return null;
      }
      if (w.context == loop) {
        if (w.claim()) {
          waiters.remove(w);
          return w;
        }
        return null;
      }
    }
    return null;
  }
}
