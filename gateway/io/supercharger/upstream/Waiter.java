package io.supercharger.upstream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.concurrent.atomic.AtomicBoolean;

/** A request waiting for a slot. Exactly one of grant or timeout wins the claim. */
final class Waiter {
  final Context context;
  final Handler<Instance> onGranted;
  final Handler<FailureKind> onFailed;
  final long enqueuedMillis;
  private final AtomicBoolean claimed = new AtomicBoolean();
  volatile long timerId = -1;

  Waiter(
      Context context,
      long enqueuedMillis,
      Handler<Instance> onGranted,
      Handler<FailureKind> onFailed) {
    this.context = context;
    this.enqueuedMillis = enqueuedMillis;
    this.onGranted = onGranted;
    this.onFailed = onFailed;
  }

  boolean claim() {
    return claimed.compareAndSet(false, true);
  }
}
