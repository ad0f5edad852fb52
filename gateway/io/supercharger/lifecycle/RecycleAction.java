package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.vertx.core.Future;

/** What recycles a drained instance: a command, an HTTP call, a signal, or nothing. */
public interface RecycleAction {
  Future<Void> run(Instance instance);

  /** Fills {host}, {port} and {instance} in commands and URLs. */
  static String fill(String template, Instance instance) {
    return template
        .replace("{host}", instance.address().host())
        .replace("{port}", Integer.toString(instance.address().port()))
        .replace("{instance}", instance.address().toString());
  }
}
