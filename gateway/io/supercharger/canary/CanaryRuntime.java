package io.supercharger.canary;

import io.micrometer.core.instrument.MeterRegistry;
import io.supercharger.config.CanaryConfig;
import io.supercharger.lifecycle.PoolLifecycle;
import io.supercharger.policy.SloPolicy;
import io.supercharger.split.Splitter;
import io.supercharger.telemetry.FlightRecorder;
import io.supercharger.upstream.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The canary at work in a gateway: the controller, its timer, its meters and its flight records.
 */
public final class CanaryRuntime {
  private final Vertx vertx;
  private final CanaryController controller;
  private final Clock clock;
  private final long timer;
  private volatile Verdict last;

  /** The step history: every change with the verdict behind it, newest last. */
  private final java.util.ArrayDeque<JsonObject> events = new java.util.ArrayDeque<>();

  private CanaryRuntime(
      Vertx vertx,
      CanaryConfig config,
      Splitter splitter,
      PoolWindows windows,
      Map<String, Pool> pools,
      Function<String, PoolLifecycle> lifecycles,
      MeterRegistry registry,
      FlightRecorder recorder,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    Pool canary = pools.get(config.pool());
    Pool baseline = pools.get(config.baseline());
    // An open circuit on the canary sends its traffic to the baseline without waiting for a window.
    canary.divertTo(baseline);
    this.controller =
        new CanaryController(
            config,
            SloPolicy.loadOrEmbedded(config.policy()),
            splitter,
            windows,
            canary,
            baseline,
            lifecycles.apply(canary.name()),
            clock,
            new CanaryListener() {
              @Override
              public void changed(CanaryState state, String event, Verdict verdict) {
                if (!"hold".equals(event)) {
                  remember(
                      new JsonObject()
                          .put("at", state.updatedAt().toString())
                          .put("event", event)
                          .put("weight", state.weight())
                          .put("state", state.status().label())
                          .put("verdict", verdict == null ? "operator" : verdict.result().label())
                          .put(
                              "reasons",
                              verdict == null
                                  ? new JsonArray()
                                  : new JsonArray(verdict.reasons())));
                }
                if ("rollback".equals(event) && recorder != null) {
                  recorder.snapshot("rollback", verdict == null ? null : verdict.toJson());
                }
              }

              @Override
              public void judged(Verdict verdict) {
                last = verdict;
                if (verdict.result() == Verdict.Result.FAIL && recorder != null) {
                  recorder.snapshot("slo-breach", verdict.toJson());
                }
              }
            });
    CanaryMetrics.bind(registry, controller, () -> last);
    this.timer =
        config.enabled()
            ? vertx.setPeriodic(
                config.intervalSecond() * 1000L,
                id -> vertx.executeBlocking(() -> controller.evaluate(), false))
            : -1;
  }

  /**
   * Starts the canary of {@code config}; the caller feeds {@code windows} from the request path.
   */
  public static CanaryRuntime start(
      Vertx vertx,
      CanaryConfig config,
      Splitter splitter,
      PoolWindows windows,
      Map<String, Pool> pools,
      Function<String, PoolLifecycle> lifecycles,
      MeterRegistry registry,
      FlightRecorder recorder,
      Clock clock) {
    return new CanaryRuntime(
        vertx, config, splitter, windows, pools, lifecycles, registry, recorder, clock);
  }

  private synchronized void remember(JsonObject event) {
    events.addLast(event);
    while (events.size() > 50) {
      events.pollFirst();
    }
  }

  public synchronized List<JsonObject> events() {
    return List.copyOf(events);
  }

  public CanaryController controller() {
    return controller;
  }

  /** The /status canary section: step, weight, state, time at the step, and the last verdicts. */
  public JsonObject status() {
    CanaryState s = controller.state();
    JsonArray verdicts = new JsonArray();
    controller.history().forEach(v -> verdicts.add(v.toJson()));
    return new JsonObject()
        .put("configured", true)
        .put("active", controller.config().enabled())
        .put("pool", controller.canaryPool().name())
        .put("baseline", controller.baselinePool().name())
        .put("steps", new JsonArray(controller.config().steps()))
        .put("step", s.step())
        .put("weight", s.weight())
        .put("state", s.status().label())
        .put("failed_windows", s.failedWindows())
        .put("seconds_at_step", Duration.between(s.stepSince(), clock.instant()).toSeconds())
        .put("interval_second", controller.config().intervalSecond())
        .put("verdicts", verdicts)
        .put("events", new JsonArray(new java.util.ArrayList<>(events())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
