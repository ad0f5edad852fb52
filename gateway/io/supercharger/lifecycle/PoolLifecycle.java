package io.supercharger.lifecycle;

import io.supercharger.config.LifecycleConfig;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one pool's recycles: watches the triggers, drains at most max_unavailable instances at a
 * time, recycles each once idle (or when drain_second runs out), and stops automatic recycling when
 * the pool thrashes. {@link #tick()} does all the work, on a timer, with an injected clock, so
 * tests step time instead of sleeping.
 */
public final class PoolLifecycle {
  /** How long automatic recycling stays paused after the pool thrashed. */
  static final Duration THRASH_PAUSE = Duration.ofMinutes(5);

  private static final Logger LOG = Logger.getLogger(PoolLifecycle.class.getName());

  private final Pool pool;
  private final RecycleAction action;
  private final Clock clock;
  private final LifecycleEvents events;
  private final ArrayDeque<Instant> recentRecycles = new ArrayDeque<>();

  /** Manual recycles waiting for room under max_unavailable, oldest first. */
  private final java.util.LinkedHashMap<Instance, RecycleReason> scheduled =
      new java.util.LinkedHashMap<>();

  private volatile LifecycleConfig config;
  private volatile Instant pausedUntil;

  public PoolLifecycle(
      Pool pool,
      LifecycleConfig config,
      RecycleAction action,
      Clock clock,
      LifecycleEvents events) {
    this.pool = pool;
    this.config = config;
    this.action = action;
    this.clock = clock;
    this.events = events;
  }

  public Pool pool() {
    return pool;
  }

  public LifecycleConfig config() {
    return config;
  }

  /** New limits at runtime, e.g. the runbook's aggressive-recycle mitigation; no restart needed. */
  public void config(LifecycleConfig config) {
    this.config = config;
  }

  public synchronized boolean paused() {
    return pausedUntil != null && clock.instant().isBefore(pausedUntil);
  }

  public Instant pausedUntil() {
    return pausedUntil;
  }

  /** Instances that cannot take requests now: recycling, starting or down. */
  public int unavailable() {
    int n = 0;
    for (Instance i : pool.instances()) {
      if (i.state() != InstanceState.READY) {
        n++;
      }
    }
    return n;
  }

  public synchronized void tick() {
    Instant now = clock.instant();
    startScheduled();
    if (config.enabled() && config.hasTrigger() && !paused()) {
      resumeIfPaused();
      startDueDrains(now);
    }
    // Last, so a drain that started idle in this tick recycles in this tick.
    finishDrains(now);
  }

  private void resumeIfPaused() {
    if (pausedUntil != null) {
      pausedUntil = null;
      events.pausedChanged(pool.name(), false);
      LOG.info("pool " + pool.name() + ": automatic recycling resumed");
    }
  }

  private void startDueDrains(Instant now) {
    for (Instance instance : pool.instances()) {
      if (instance.state() != InstanceState.READY || unavailable() >= config.maxUnavailable()) {
        continue;
      }
      if (instance.lastRecycleAt() != null
          && Duration.between(instance.lastRecycleAt(), now).toSeconds()
              < config.minRecycleIntervalSecond()) {
        continue;
      }
      RecycleReason reason = Triggers.due(instance, config, now);
      if (reason != null) {
        if (thrashing(now)) {
          return;
        }
        drain(instance, reason);
      }
    }
  }

  /**
   * An operator's or the instance's own request. A self-signalled instance is leaving anyway, so it
   * drains at once; a manual one is scheduled and waits its turn under max_unavailable (a whole
   * pool recycled by hand rolls through it one budget at a time).
   */
  public synchronized boolean requestRecycle(Instance instance, RecycleReason reason) {
    if (reason == RecycleReason.SELF_SIGNALLED) {
      return drain(instance, reason);
    }
    if (instance.state() != InstanceState.READY && !scheduled.containsKey(instance)) {
      return false;
    }
    scheduled.putIfAbsent(instance, reason);
    startScheduled();
    return true;
  }

  private void startScheduled() {
    var it = scheduled.entrySet().iterator();
    while (it.hasNext() && unavailable() < config.maxUnavailable()) {
      var next = it.next();
      if (next.getKey().state() == InstanceState.READY) {
        drain(next.getKey(), next.getValue());
        it.remove();
      }
    }
  }

  private boolean drain(Instance instance, RecycleReason reason) {
    if (!instance.beginDrain(reason)) {
      return false;
    }
    recentRecycles.addLast(clock.instant());
    LOG.info(
        "draining "
            + instance
            + " ("
            + reason.label()
            + ", "
            + instance.requestsSinceReady()
            + " requests, "
            + instance.inFlight()
            + " in flight)");
    events.drainStarted(instance, reason);
    return true;
  }

  private void finishDrains(Instant now) {
    for (Instance instance : pool.instances()) {
      if (instance.state() != InstanceState.DRAINING) {
        continue;
      }
      boolean outOfTime =
          Duration.between(instance.drainStartedAt(), now).toMillis()
              >= config.drainSecond() * 1000L;
      if (instance.inFlight() > 0 && !outOfTime) {
        continue;
      }
      RecycleReason reason = instance.drainReason();
      int overruns = instance.beginRecycle();
      if (overruns < 0) {
        continue;
      }
      if (overruns > 0) {
        LOG.warning(instance + ": drain_second ran out with " + overruns + " requests in flight");
      }
      events.recycled(instance, reason, instance.lastDrainSeconds(), overruns);
      action
          .run(instance)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.log(
                      Level.WARNING,
                      "recycle action for " + instance + " failed: " + ar.cause().getMessage());
                }
                instance.recycleActionDone();
              });
    }
  }

  /** Anti-thrash: more recycles in the last minute than allowed pauses automatic recycling. */
  private boolean thrashing(Instant now) {
    while (!recentRecycles.isEmpty()
        && Duration.between(recentRecycles.peekFirst(), now).toSeconds() >= 60) {
      recentRecycles.pollFirst();
    }
    if (recentRecycles.size() < config.maxRecyclesPerMinute()) {
      return false;
    }
    pausedUntil = now.plus(THRASH_PAUSE);
    LOG.warning(
        "pool "
            + pool.name()
            + ": "
            + recentRecycles.size()
            + " recycles in the last minute; automatic"
            + " recycling paused until "
            + pausedUntil
            + " (worker recycle: no thrash)");
    events.pausedChanged(pool.name(), true);
    return true;
  }
}
