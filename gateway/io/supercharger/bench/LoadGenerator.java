package io.supercharger.bench;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives a scenario against a target, open-loop by default.
 *
 * <p>Open loop: arrival {@code i} is due at {@code start + i / rate}, whatever the server is doing,
 * and its latency runs from that due time, not from when a connection became free. A server that
 * stalls for a second therefore shows a second of queueing in every request that was due during the
 * stall: the coordinated-omission correction. The dispatcher also records how late it dispatched
 * (its own health: a late dispatcher is a saturated load generator, and the report says so).
 *
 * <p>Closed loop ({@link Options#closedLoop()}): {@code connections} virtual users each send, wait
 * for the answer, and send again. Latency is then service time, and a stall hides itself; it
 * measures capacity, not latency under a given load.
 *
 * <p>Every arrival is recorded exactly once: answered, failed, or still pending when the drain
 * after the run gives up (as a timeout). So the report's count equals the scheduled count.
 */
public final class LoadGenerator {
  public record Options(
      URI target,
      double rate,
      int connections,
      boolean closedLoop,
      Duration duration,
      Duration timeout) {}

  /**
   * @param dispatchLagMicros how late each open-loop arrival was handed to the client
   */
  public record Result(
      long scheduled,
      long recorded,
      double seconds,
      Histogram dispatchLagMicros,
      Map<String, String> errorExamples) {}

  /** Called on the generator's thread once a second, after the tick. */
  public interface Listener {
    void second(double elapsedSeconds, LatencyBook.Interval lastSecond, long scheduled);
  }

  private record Pending(long dueNanos, RouteStats stats) {}

  private final Options options;
  private final Scenario scenario;
  private final LatencyBook book;
  private final Mix mix;
  private final List<RequestOptions> templates;
  private final List<Buffer> bodies;
  private final List<RouteStats> stats;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong recorded = new AtomicLong();
  private Context[] contexts;

  /** The first failure of each kind, as it read, so the report can say what "other" was. */
  private final Map<String, String> errorExamples = new ConcurrentHashMap<>();

  public LoadGenerator(Options options, Scenario scenario, LatencyBook book) {
    this.options = options;
    this.scenario = scenario;
    this.book = book;
    this.mix = new Mix(scenario.requests().stream().map(Scenario.Request::weight).toList());
    String base = options.target().toString().replaceFirst("/+$", "");
    this.templates =
        scenario.requests().stream()
            .map(
                r -> {
                  MultiMap headers = MultiMap.caseInsensitiveMultiMap();
                  r.headers().forEach(headers::add);
                  return new RequestOptions()
                      .setMethod(HttpMethod.valueOf(r.method()))
                      .setAbsoluteURI(base + r.path())
                      .setHeaders(headers)
                      .setIdleTimeout(options.timeout().toMillis());
                })
            .toList();
    this.bodies = scenario.requests().stream().map(r -> Buffer.buffer(r.body())).toList();
    this.stats = scenario.requests().stream().map(r -> book.route(r.route())).toList();
  }

  public Result run(Listener listener) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors())));
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis())),
            new PoolOptions().setHttp1MaxSize(options.connections()).setMaxWaitQueueSize(-1));
    Histogram lag = new Histogram(RouteStats.MAX_MICROS, 3);
    contexts = new Context[Math.max(1, Runtime.getRuntime().availableProcessors())];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
    warmUp(client);
    long start = System.nanoTime();
    long end = start + options.duration().toNanos();
    Ticker ticker = new Ticker(start, listener);
    try {
      if (options.closedLoop()) {
        for (int u = 0; u < options.connections(); u++) {
          sendNext(client, end);
        }
        while (System.nanoTime() < end) {
          ticker.parkUntil(end);
        }
      } else {
        dispatchOpenLoop(client, start, end, lag, ticker);
      }
      long drainDeadline =
          System.nanoTime() + options.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
      while (!pending.isEmpty() && System.nanoTime() < drainDeadline) {
        ticker.parkUntil(Math.min(drainDeadline, System.nanoTime() + 5_000_000));
      }
    } finally {
      client.close().await();
      // What the close did not fail is recorded here, so the count always equals the scheduled
      // count.
      pending.keySet().forEach(seq -> complete(seq, Outcome.TIMEOUT));
      vertx.close().await();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ticker.tick(System.nanoTime());
    return new Result(sequence.get(), recorded.get(), seconds, lag, Map.copyOf(errorExamples));
  }

  /**
   * One unrecorded request before the clock starts: it loads the client's classes and opens a
   * connection, which would otherwise make the first arrivals late and charge the generator's
   * start-up to the server.
   */
  private void warmUp(HttpClientAgent client) {
    try {
      java.util.concurrent.CompletableFuture<Object> done =
          new java.util.concurrent.CompletableFuture<>();
      contexts[0].runOnContext(
          v ->
              client
                  .request(templates.get(0))
                  .compose(req -> req.send(bodies.get(0)))
                  .compose(resp -> resp.body())
                  .onComplete(ar -> done.complete(null)));
      done.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The run will record the same failure for every arrival, with its kind; nothing to add here.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void dispatchOpenLoop(
      HttpClientAgent client, long start, long end, Histogram lag, Ticker ticker) {
    double interval = 1e9 / options.rate();
    for (long i = 0; ; i++) {
      long due = start + (long) (i * interval);
      if (due >= end) {
        return;
      }
      long now = ticker.parkUntil(due);
      lag.recordValue(Math.min(RouteStats.MAX_MICROS, Math.max(0, (now - due) / 1000)));
      send(client, sequence.getAndIncrement(), due, -1);
    }
  }

  /** Closed loop: one virtual user's next request, sent when its last one ended. */
  private void sendNext(HttpClientAgent client, long end) {
    long now = System.nanoTime();
    if (now < end) {
      send(client, sequence.getAndIncrement(), now, end);
    }
  }

  private void send(HttpClientAgent client, long seq, long dueNanos, long closedLoopEnd) {
    int which = mix.pick(seq);
    pending.put(seq, new Pending(dueNanos, stats.get(which)));
    // The whole exchange runs on one event loop. Started from the dispatcher thread instead, a
    // callback
    // attached after its future completed would run on the dispatcher, late, after the response had
    // ended: its body then never arrives.
    contexts[(int) (seq % contexts.length)].runOnContext(
        v -> exchange(client, seq, which, closedLoopEnd));
  }

  private void exchange(HttpClientAgent client, long seq, int which, long closedLoopEnd) {
    client
        .request(templates.get(which))
        .compose(req -> req.send(bodies.get(which)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(
            ar -> {
              Outcome outcome =
                  ar.succeeded() ? Outcome.ofStatus(ar.result()) : Outcome.ofFailure(ar.cause());
              if (ar.failed()) {
                errorExamples.putIfAbsent(outcome.label(), describe(ar.cause()));
              } else if (outcome != Outcome.OK) {
                errorExamples.putIfAbsent(
                    outcome.label(),
                    "HTTP " + ar.result() + " on " + scenario.requests().get(which).path());
              }
              complete(seq, outcome);
              if (closedLoopEnd >= 0) {
                sendNext(client, closedLoopEnd);
              }
            });
  }

  private static String describe(Throwable t) {
    StackTraceElement[] at = t.getStackTrace();
    return t.getClass().getSimpleName()
        + ": "
        + t.getMessage()
        + (at.length == 0 ? "" : " at " + at[0]);
  }

  private void complete(long seq, Outcome outcome) {
    Pending p = pending.remove(seq);
    if (p != null) {
      p.stats().record(System.nanoTime() - p.dueNanos(), outcome);
      recorded.incrementAndGet();
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  /**
   * Parks the generator's thread until a deadline, closing a timeline interval every second on the
   * way.
   */
  private final class Ticker {
    private final long start;
    private final Listener listener;
    private long nextTick;
    private long lastTick;

    Ticker(long start, Listener listener) {
      this.start = start;
      this.listener = listener;
      this.lastTick = start;
      this.nextTick = start + 1_000_000_000L;
    }

    long parkUntil(long deadline) {
      long now;
      while ((now = System.nanoTime()) < deadline) {
        if (now >= nextTick) {
          tick(now);
          continue;
        }
        LockSupport.parkNanos(Math.min(deadline, nextTick) - now);
      }
      if (now >= nextTick) {
        tick(now);
      }
      return now;
    }

    void tick(long now) {
      if (now <= lastTick) {
        return;
      }
      book.tick((now - start) / 1e9, (now - lastTick) / 1e9);
      lastTick = now;
      nextTick = now + 1_000_000_000L;
      if (listener != null) {
        listener.second((now - start) / 1e9, book.lastInterval(), sequence.get());
      }
    }
  }
}
