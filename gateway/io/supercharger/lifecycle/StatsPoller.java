package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.Pool;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/** Polls each instance's engine stats on the pool's stats interval and keeps the latest on it. */
public final class StatsPoller {
  private static final Logger LOG = Logger.getLogger(StatsPoller.class.getName());

  private final Vertx vertx;

  public StatsPoller(Vertx vertx) {
    this.vertx = vertx;
  }

  public void watch(Pool pool, EngineAdapter adapter) {
    if (adapter == EngineAdapter.NONE) {
      return;
    }
    vertx.setPeriodic(
        0,
        pool.config().stats().intervalMs(),
        id -> {
          for (Instance instance : pool.instances()) {
            InstanceState state = instance.state();
            if (state != InstanceState.READY && state != InstanceState.DRAINING) {
              continue;
            }
            adapter
                .fetch(instance)
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        instance.stats(ar.result());
                      } else {
                        LOG.fine(() -> "stats of " + instance + ": " + ar.cause().getMessage());
                      }
                    });
          }
        });
  }
}
