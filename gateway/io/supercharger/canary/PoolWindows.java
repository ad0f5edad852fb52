package io.supercharger.canary;

import java.time.Clock;

/**
 * Sliding windows for every pool and route class, fed by the request path. Indexes are the pool's
 * index and 0 for read, 1 for write.
 */
public final class PoolWindows {
  private final SlidingWindows[] windows;

  public PoolWindows(int pools, int seconds, Clock clock) {
    windows = new SlidingWindows[pools * 2];
    for (int i = 0; i < windows.length; i++) {
      windows[i] = new SlidingWindows(clock, seconds);
    }
  }

  public void record(int pool, boolean write, long nanos, boolean error) {
    windows[pool * 2 + (write ? 1 : 0)].record(nanos, error);
  }

  SlidingWindows.Snapshot[] snapshot(int pool, int seconds) {
    return new SlidingWindows.Snapshot[] {
      windows[pool * 2].snapshot(seconds), windows[pool * 2 + 1].snapshot(seconds)
    };
  }
}
