package io.supercharger.upstream;

import io.supercharger.config.HostPort;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * One upstream address and its state machine. Counters are atomics because every event loop
 * forwards to every instance. The transition methods below are the one place that moves an instance
 * between states; each refuses a move its current state does not allow:
 *
 * <pre>
 *   STARTING ─probe ok─▶ READY ─trigger─▶ DRAINING ─idle or drain_second─▶ RECYCLING ─action─▶ STARTING
 *   STARTING, READY ─probe failed / connect refused─▶ DOWN ─probe ok─▶ READY
 * </pre>
 */
public final class Instance {
  private final String poolName;
  private final HostPort address;
  private final SocketAddress socketAddress;
  private final String addressText;
  private final int maxInFlight;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requestsTotal = new AtomicLong();
  private final AtomicLong requestsSinceReady = new AtomicLong();
  private final AtomicLongArray recycles = new AtomicLongArray(RecycleReason.values().length);
  private volatile InstanceState state = InstanceState.STARTING;
  private volatile Instant readySince;
  private volatile Instant drainStartedAt;
  private volatile RecycleReason drainReason;
  private volatile Instant lastRecycleAt;
  private volatile Double lastDrainSeconds;
  private volatile InstanceStats stats = InstanceStats.NONE;

  /** Per-instance spread of the limits, re-drawn each time the instance becomes READY. */
  private volatile double jitterFactor = 1.0;

  private volatile Consumer<Instance> stateListener = i -> {};

  public Instance(String poolName, HostPort address, int maxInFlight, Clock clock) {
    this.poolName = poolName;
    this.address = address;
    this.socketAddress = SocketAddress.inetSocketAddress(address.port(), address.host());
    this.addressText = address.toString();
    this.maxInFlight = maxInFlight;
    this.clock = clock;
  }

  public String poolName() {
    return poolName;
  }

  public HostPort address() {
    return address;
  }

  /** {@code host:port} as logged, made once: the access log writes it for every request. */
  public String addressText() {
    return addressText;
  }

  public SocketAddress socketAddress() {
    return socketAddress;
  }

  public InstanceState state() {
    return state;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long requestsTotal() {
    return requestsTotal.get();
  }

  public long requestsSinceReady() {
    return requestsSinceReady.get();
  }

  public Instant readySince() {
    return readySince;
  }

  public Instant drainStartedAt() {
    return drainStartedAt;
  }

  public RecycleReason drainReason() {
    return drainReason;
  }

  public Instant lastRecycleAt() {
    return lastRecycleAt;
  }

  public Double lastDrainSeconds() {
    return lastDrainSeconds;
  }

  public long recycles(RecycleReason reason) {
    return recycles.get(reason.ordinal());
  }

  public InstanceStats stats() {
    return stats;
  }

  public void stats(InstanceStats stats) {
    this.stats = stats;
  }

  public double jitterFactor() {
    return jitterFactor;
  }

  void onStateChange(Consumer<Instance> listener) {
    this.stateListener = listener;
  }

  /**
   * Takes one slot if the instance is READY and under its cap. Lock-free; safe from any loop. The
   * state is read again after the slot is taken: a drain that began meanwhile either sees this slot
   * in its in-flight count or is seen here, so no request is sent to a DRAINING instance.
   */
  boolean tryAcquire() {
    while (true) {
      if (!state.takesRequests()) {
        return false;
      }
      int current = inFlight.get();
      if (maxInFlight > 0 && current >= maxInFlight) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        if (state.takesRequests()) {
          return true;
        }
        inFlight.decrementAndGet();
        return false;
      }
    }
  }

  /**
   * Counts a request that was actually sent (a granted slot that is handed back does not count).
   */
  void countRequest() {
    requestsTotal.incrementAndGet();
    requestsSinceReady.incrementAndGet();
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /** A probe passed: a STARTING or DOWN instance becomes READY with a new jitter draw. */
  public synchronized boolean markReady(double newJitterFactor) {
    if (state != InstanceState.STARTING && state != InstanceState.DOWN) {
      return false;
    }
    readySince = clock.instant();
    requestsSinceReady.set(0);
    jitterFactor = newJitterFactor;
    return move(InstanceState.READY);
  }

  /** Probes failed or a connect was refused. A recycle in progress expects that, so it is kept. */
  public synchronized boolean markDown() {
    if (state != InstanceState.READY && state != InstanceState.STARTING) {
      return false;
    }
    return move(InstanceState.DOWN);
  }

  /** READY → DRAINING: no new requests from now on. */
  public synchronized boolean beginDrain(RecycleReason reason) {
    if (state != InstanceState.READY) {
      return false;
    }
    drainStartedAt = clock.instant();
    drainReason = reason;
    return move(InstanceState.DRAINING);
  }

  /**
   * DRAINING → RECYCLING, once idle or out of drain time. Records the recycle and its drain time.
   *
   * @return the requests still in flight (drain overruns), or -1 if the instance was not draining
   */
  public synchronized int beginRecycle() {
    if (state != InstanceState.DRAINING) {
      return -1;
    }
    Instant now = clock.instant();
    lastDrainSeconds = Duration.between(drainStartedAt, now).toMillis() / 1000.0;
    lastRecycleAt = now;
    recycles.incrementAndGet(drainReason.ordinal());
    int overruns = inFlight.get();
    move(InstanceState.RECYCLING);
    return overruns;
  }

  /** RECYCLING → STARTING: the action ran; the probe decides when it is READY again. */
  public synchronized boolean recycleActionDone() {
    if (state != InstanceState.RECYCLING) {
      return false;
    }
    stats = InstanceStats.NONE;
    return move(InstanceState.STARTING);
  }

  private boolean move(InstanceState next) {
    state = next;
    stateListener.accept(this);
    return true;
  }

  @Override
  public String toString() {
    return poolName + "/" + address;
  }
}
