package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.supercharger.upstream.RecycleReason;

/** What the lifecycle reports to metrics and logs. */
public interface LifecycleEvents {
  void drainStarted(Instance instance, RecycleReason reason);

  void recycled(Instance instance, RecycleReason reason, double drainSeconds, int overruns);

  void pausedChanged(String pool, boolean paused);

  LifecycleEvents NONE =
      new LifecycleEvents() {
        @Override
        public void drainStarted(Instance instance, RecycleReason reason) {}

        @Override
        public void recycled(
            Instance instance, RecycleReason reason, double drainSeconds, int overruns) {}

        @Override
        public void pausedChanged(String pool, boolean paused) {}
      };
}
