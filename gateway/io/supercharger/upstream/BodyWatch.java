package io.supercharger.upstream;

import io.vertx.core.Vertx;

/**
 * Watches a request body for stalls: if no chunk arrives for body_read_ms, {@code onStall} runs
 * once. One timer is armed at a time and re-armed lazily, so a busy upload costs no timer churn.
 */
public final class BodyWatch {
  private final Vertx vertx;
  private final long stallMs;
  private final Runnable onStall;
  private long lastActivity = System.nanoTime();
  private long timer = -1;
  private boolean stopped;

  public BodyWatch(Vertx vertx, long stallMs, Runnable onStall) {
    this.vertx = vertx;
    this.stallMs = stallMs;
    this.onStall = onStall;
    arm(stallMs);
  }

  public void touch() {
    lastActivity = System.nanoTime();
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void arm(long delayMs) {
    timer =
        vertx.setTimer(
            Math.max(1, delayMs),
            id -> {
              timer = -1;
              if (stopped) {
                return;
              }
              long idleMs = (System.nanoTime() - lastActivity) / 1_000_000;
              if (idleMs >= stallMs) {
                stopped = true;
                onStall.run();
              } else {
                arm(stallMs - idleMs);
              }
            });
  }
}
