package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.vertx.core.Future;

/** Reads what an engine reports about one instance: memory, uptime, pid, reset counters. */
public interface EngineAdapter {
  Future<InstanceStats> fetch(Instance instance);

  EngineAdapter NONE = instance -> Future.succeededFuture(InstanceStats.NONE);
}
