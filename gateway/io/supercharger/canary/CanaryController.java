package io.supercharger.canary;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.supercharger.canary.CanaryState.Status;
import io.supercharger.config.CanaryConfig;
import io.supercharger.config.LifecycleConfig;
import io.supercharger.lifecycle.PoolLifecycle;
import io.supercharger.policy.SloPolicy;
import io.supercharger.split.Splitter;
import io.supercharger.upstream.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs the canary from the gateway's own measurements: judges each window, promotes through the
 * steps on a pass, holds on too little traffic, and rolls back (or, with on_failure: mitigate,
 * recycles aggressively first) after failed windows. Every change goes to the splitter at once, to
 * the state file, and to the listener. Synchronized: the timer and the admin API both call in.
 */
public final class CanaryController {
  static final int HISTORY = 20;
  private static final Logger LOG = Logger.getLogger(CanaryController.class.getName());

  private final CanaryConfig config;
  private final Splitter splitter;
  private final PoolWindows windows;
  private final Pool canary;
  private final Pool baseline;
  private final PoolLifecycle lifecycle;
  private final PoolGates poolGates;
  private final Judge judge;
  private final Clock clock;
  private final StateFile stateFile;
  private final CanaryListener listener;
  private final ArrayDeque<Verdict> history = new ArrayDeque<>();
  private LifecycleConfig lifecycleBeforeMitigation;
  private CanaryState state;

  public CanaryController(
      CanaryConfig config,
      SloPolicy policy,
      Splitter splitter,
      PoolWindows windows,
      Pool canary,
      Pool baseline,
      PoolLifecycle lifecycle,
      Clock clock,
      CanaryListener listener) {
    this.config = config;
    this.splitter = splitter;
    this.windows = windows;
    this.canary = canary;
    this.baseline = baseline;
    this.lifecycle = lifecycle;
    this.poolGates = new PoolGates(policy, clock);
    this.judge = new Judge(policy, config.minRequests(), config.baselineP95Factor());
    this.clock = clock;
    this.stateFile =
        new StateFile(
            config.stateFile() == null ? null : java.nio.file.Path.of(config.stateFile()));
    this.listener = listener;
    CanaryState saved = stateFile.load();
    Instant now = clock.instant();
    // A saved state wins over the config: a restart resumes where the canary was.
    this.state =
        saved != null
            ? saved
            : new CanaryState(0, config.steps().get(0), Status.RUNNING, 0, now, now);
    if (saved != null) {
      LOG.info(
          "canary resumes from "
              + config.stateFile()
              + ": step "
              + saved.step()
              + ", weight "
              + saved.weight()
              + "%, "
              + saved.status().label());
    }
    applyWeight();
    stateFile.save(state);
  }

  public synchronized CanaryState state() {
    return state;
  }

  public synchronized List<Verdict> history() {
    return new ArrayList<>(history);
  }

  public CanaryConfig config() {
    return config;
  }

  /** Judges the last window and acts on it. Called every interval_second. */
  public synchronized Verdict evaluate() {
    Instant now = clock.instant();
    Verdict verdict =
        judge.judge(
            now,
            windows.snapshot(canary.index(), config.intervalSecond()),
            windows.snapshot(baseline.index(), config.intervalSecond()),
            poolGates.reasons(canary, lifecycle));
    if (canary.breaker().getState() == CircuitBreaker.State.OPEN
        && verdict.result() != Verdict.Result.FAIL) {
      // The breaker already sends the canary's traffic to the baseline, so its windows would stay
      // "insufficient" forever: an open circuit is itself a failed window.
      List<String> reasons = new ArrayList<>(verdict.reasons());
      reasons.add(0, "circuit open: the canary's failure rate tripped its circuit breaker");
      verdict = new Verdict(now, Verdict.Result.FAIL, reasons, verdict.measures());
    }
    history.addLast(verdict);
    while (history.size() > HISTORY) {
      history.pollFirst();
    }
    listener.judged(verdict);
    if (state.status() == Status.PAUSED || state.status() == Status.ROLLED_BACK) {
      return verdict;
    }
    switch (verdict.result()) {
      case PASS -> onPass(verdict);
      case FAIL -> onFail(verdict);
      default ->
          change(
              state.with(state.step(), state.weight(), state.status(), state.failedWindows(), now),
              "hold",
              verdict);
    }
    return verdict;
  }

  private void onPass(Verdict verdict) {
    Instant now = clock.instant();
    if (state.status() == Status.MITIGATING || state.status() == Status.COMPLETED) {
      change(state.with(state.step(), state.weight(), state.status(), 0, now), "hold", verdict);
      return;
    }
    int next = Math.min(state.step() + 1, config.steps().size() - 1);
    int weight = config.steps().get(next);
    Status status = weight == 100 ? Status.COMPLETED : Status.RUNNING;
    change(
        state.with(next, weight, status, 0, now),
        next == state.step() ? "hold" : "promote",
        verdict);
  }

  private void onFail(Verdict verdict) {
    Instant now = clock.instant();
    int failed = state.failedWindows() + 1;
    if (failed < config.failedWindowsToRollback()) {
      change(
          state.with(state.step(), state.weight(), state.status(), failed, now), "hold", verdict);
    } else if ("mitigate".equals(config.onFailure())
        && state.status() != Status.MITIGATING
        && lifecycle != null) {
      mitigate(verdict);
    } else {
      rollback(verdict);
    }
  }

  /**
   * The runbook's first action: aggressive recycling (MAX_REQUEST=50, MAX_UPTIME=600), at runtime.
   */
  private void mitigate(Verdict verdict) {
    lifecycleBeforeMitigation = lifecycle.config();
    lifecycle.config(
        lifecycleBeforeMitigation.withLimits(
            config.mitigationMaxRequest(), config.mitigationMaxUptimeSecond()));
    LOG.warning(
        "canary failing: mitigating with max_request "
            + config.mitigationMaxRequest()
            + ", max_uptime_second "
            + config.mitigationMaxUptimeSecond()
            + " on pool "
            + canary.name());
    change(
        state.with(state.step(), state.weight(), Status.MITIGATING, 0, clock.instant()),
        "mitigate",
        verdict);
  }

  private void rollback(Verdict verdict) {
    LOG.warning(
        "canary rolled back: pool "
            + canary.name()
            + " weight 0"
            + (verdict == null ? " (operator)" : ": " + String.join("; ", verdict.reasons())));
    change(
        state.with(state.step(), 0, Status.ROLLED_BACK, 0, clock.instant()), "rollback", verdict);
  }

  /** Operator actions. Each returns the state it leads to; a dry run changes nothing. */
  public synchronized CanaryState promote(boolean dryRun) {
    int next = Math.min(state.step() + 1, config.steps().size() - 1);
    int weight = config.steps().get(next);
    CanaryState target =
        state.with(
            next, weight, weight == 100 ? Status.COMPLETED : Status.RUNNING, 0, clock.instant());
    return dryRun ? target : change(target, "promote", null);
  }

  public synchronized CanaryState pause(boolean dryRun) {
    CanaryState target =
        state.with(
            state.step(), state.weight(), Status.PAUSED, state.failedWindows(), clock.instant());
    return dryRun ? target : change(target, "pause", null);
  }

  /** Back to judging. After a rollback it starts again at the first step. */
  public synchronized CanaryState resume(boolean dryRun) {
    boolean fromRollback = state.status() == Status.ROLLED_BACK;
    int step = fromRollback ? 0 : state.step();
    int weight = fromRollback ? config.steps().get(0) : state.weight();
    CanaryState target =
        state.with(
            step, weight, weight == 100 ? Status.COMPLETED : Status.RUNNING, 0, clock.instant());
    if (!dryRun && lifecycleBeforeMitigation != null) {
      lifecycle.config(lifecycleBeforeMitigation);
      lifecycleBeforeMitigation = null;
    }
    return dryRun ? target : change(target, "resume", null);
  }

  public synchronized CanaryState rollback(boolean dryRun) {
    CanaryState target = state.with(state.step(), 0, Status.ROLLED_BACK, 0, clock.instant());
    if (dryRun) {
      return target;
    }
    rollback(null);
    return state;
  }

  /** An explicit weight; promotion continues from the first step above it. */
  public synchronized CanaryState weight(int weight, boolean dryRun) {
    int step = 0;
    for (int i = 0; i < config.steps().size(); i++) {
      if (config.steps().get(i) <= weight) {
        step = i;
      }
    }
    Status status =
        weight == 0
            ? Status.ROLLED_BACK
            : weight == 100
                ? Status.COMPLETED
                : state.status() == Status.ROLLED_BACK || state.status() == Status.COMPLETED
                    ? Status.RUNNING
                    : state.status();
    CanaryState target = state.with(step, weight, status, 0, clock.instant());
    return dryRun ? target : change(target, "weight", null);
  }

  private CanaryState change(CanaryState next, String event, Verdict verdict) {
    boolean weightChanged = next.weight() != state.weight();
    state = next;
    if (weightChanged) {
      applyWeight();
    }
    stateFile.save(state);
    LOG.info(
        () ->
            "canary "
                + event
                + ": pool "
                + canary.name()
                + " at "
                + state.weight()
                + "% (step "
                + state.step()
                + ", "
                + state.status().label()
                + ")"
                + (verdict == null ? "" : ", verdict " + verdict.result().label()));
    listener.changed(state, event, verdict);
    return state;
  }

  /**
   * The canary gets its weight, the baseline the rest of their shared budget; others keep theirs.
   */
  private void applyWeight() {
    Map<String, Integer> current = splitter.snapshot().weights();
    int others = 0;
    for (Map.Entry<String, Integer> e : current.entrySet()) {
      if (!e.getKey().equals(canary.name()) && !e.getKey().equals(baseline.name())) {
        others += e.getValue();
      }
    }
    int budget = 100 - others;
    int weight = Math.min(state.weight(), budget);
    Map<String, Integer> next = new LinkedHashMap<>();
    for (String pool : current.keySet()) {
      next.put(
          pool,
          pool.equals(canary.name())
              ? weight
              : pool.equals(baseline.name()) ? budget - weight : current.get(pool));
    }
    splitter.update(next);
  }

  public Pool canaryPool() {
    return canary;
  }

  public Pool baselinePool() {
    return baseline;
  }
}
