package io.supercharger.demo;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop demo traffic: a fixed number of concurrent clients, each sending the next request as
 * soon as the last one finished, on behalf of a population of users who keep their split cookie.
 */
public final class TrafficDriver {
  private final String host;
  private final int port;
  private final int concurrency;
  private final int users;
  private final TrafficMix mix = new TrafficMix(TrafficMix.DEFAULT);
  private final Map<String, LatencyRecorder> byRoute = new LinkedHashMap<>();
  private final Map<String, AtomicLong> bySapi = new ConcurrentHashMap<>();
  private final Map<String, LatencyRecorder> latencyBySapi = new ConcurrentHashMap<>();
  private final String[] cookies;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public TrafficDriver(String host, int port, int concurrency, int users) {
    this.host = host;
    this.port = port;
    this.concurrency = concurrency;
    this.users = users;
    this.cookies = new String[users];
    for (String route : mix.routes()) {
      byRoute.put(route, new LatencyRecorder());
    }
  }

  /**
   * Runs for {@code duration}, printing a progress line every second when {@code progress} is set.
   */
  public Result run(Duration duration, PrintStream progress) throws InterruptedException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setDefaultHost(host).setDefaultPort(port),
            new PoolOptions().setHttp1MaxSize(concurrency));
    long deadline = System.nanoTime() + duration.toNanos();
    CountDownLatch done = new CountDownLatch(concurrency);
    long started = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> loop(client, deadline, done));
    }
    long lastCount = 0;
    while (!done.await(1, TimeUnit.SECONDS)) {
      if (progress != null) {
        long now = completed.get();
        long elapsed = (System.nanoTime() - started) / 1_000_000_000;
        progress.printf(
            "\r  %3ds/%ds  %,6d req/s  %,8d requests  %d errors   ",
            elapsed, duration.toSeconds(), now - lastCount, now, failed.get());
        lastCount = now;
      }
    }
    if (progress != null) {
      progress.print("\r" + " ".repeat(70) + "\r");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    client.close();
    vertx.close();
    return new Result(byRoute, bySapi, latencyBySapi, completed.get(), failed.get(), seconds);
  }

  private void loop(HttpClient client, long deadline, CountDownLatch done) {
    if (System.nanoTime() >= deadline) {
      done.countDown();
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TrafficMix.Request request = mix.next(random);
    int user = random.nextInt(users);
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setURI(request.concretePath(random))
            .putHeader("X-User-Id", Integer.toString(user));
    if (cookies[user] != null) {
      options.putHeader(HttpHeaders.COOKIE, cookies[user]);
    }
    Buffer body = request.bodyBytes() > 0 ? Buffer.buffer(request.body(random)) : null;
    long start = System.nanoTime();
    client
        .request(options)
        .compose(
            req -> {
              if (body != null) {
                req.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                return req.send(body);
              }
              return req.send();
            })
        .compose(resp -> resp.body().map(b -> resp))
        .onComplete(
            ar -> {
              long nanos = System.nanoTime() - start;
              boolean error = ar.failed() || ar.result().statusCode() >= 500;
              String sapi = ar.succeeded() ? ar.result().getHeader("X-Served-By-Sapi") : null;
              if (ar.succeeded()) {
                String setCookie = ar.result().getHeader(HttpHeaders.SET_COOKIE);
                if (setCookie != null) {
                  int semi = setCookie.indexOf(';');
                  cookies[user] = semi < 0 ? setCookie : setCookie.substring(0, semi);
                }
                bySapi
                    .computeIfAbsent(sapi == null ? "unknown" : sapi, k -> new AtomicLong())
                    .incrementAndGet();
              }
              byRoute.get(request.route()).record(nanos, error);
              // Which pool served it, as PHP reports: the per-pool latency shows worker mode's
              // advantage.
              latencyBySapi
                  .computeIfAbsent(sapi == null ? "unknown" : sapi, k -> new LatencyRecorder())
                  .record(nanos, error);
              completed.incrementAndGet();
              if (error) {
                failed.incrementAndGet();
              }
              loop(client, deadline, done);
            });
  }

  /**
   * What the run measured. {@code bySapi} (counts) and {@code latencyBySapi}: "cli" is the worker
   * runner, "fpm-fcgi" is php-fpm, "unknown" is an answer no PHP process signed (gateway errors).
   */
  public record Result(
      Map<String, LatencyRecorder> byRoute,
      Map<String, AtomicLong> bySapi,
      Map<String, LatencyRecorder> latencyBySapi,
      long requests,
      long errors,
      double seconds) {}
}
