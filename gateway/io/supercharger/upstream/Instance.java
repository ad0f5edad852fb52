package io.supercharger.upstream;

import io.supercharger.config.HostPort;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One upstream address. Counters are atomics because every event loop forwards to every instance;
 * state changes go through {@link #moveTo}, the one place that moves an instance between states.
 */
public final class Instance {
  private final String poolName;
  private final HostPort address;
  private final SocketAddress socketAddress;
  private final int maxInFlight;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requestsTotal = new AtomicLong();
  private final AtomicLong requestsSinceReady = new AtomicLong();
  private volatile InstanceState state = InstanceState.STARTING;
  private volatile Instant readySince;
  private volatile Consumer<Instance> stateListener = i -> { };

  public Instance(String poolName, HostPort address, int maxInFlight, Clock clock) {
    this.poolName = poolName;
    this.address = address;
    this.socketAddress = SocketAddress.inetSocketAddress(address.port(), address.host());
    this.maxInFlight = maxInFlight;
    this.clock = clock;
  }

  public String poolName() {
    return poolName;
  }

  public HostPort address() {
    return address;
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

  void onStateChange(Consumer<Instance> listener) {
    this.stateListener = listener;
  }

  /** Takes one slot if the instance is READY and under its cap. Lock-free; safe from any loop. */
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
        return true;
      }
    }
  }

  /** Counts a request that was actually sent (a granted slot that is handed back does not count). */
  void countRequest() {
    requestsTotal.incrementAndGet();
    requestsSinceReady.incrementAndGet();
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /** The single place where the state changes; listeners learn of every change. */
  public synchronized void moveTo(InstanceState next) {
    if (state == next) {
      return;
    }
    state = next;
    if (next == InstanceState.READY) {
      readySince = clock.instant();
      requestsSinceReady.set(0);
    }
    stateListener.accept(this);
  }

  @Override
  public String toString() {
    return poolName + "/" + address;
  }
}
