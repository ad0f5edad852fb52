package io.supercharger.upstream;

import io.supercharger.config.ProbeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Readiness probes. A STARTING or DOWN instance becomes READY after success_threshold passes in a
 * row; a READY one goes DOWN after {@link #FALL} failures in a row, so one lost probe does not flap
 * it. Instances in a recycle (DRAINING, RECYCLING) are left to the lifecycle.
 */
public final class Prober {
  static final int FALL = 2;
  private static final Logger LOG = Logger.getLogger(Prober.class.getName());

  private final Vertx vertx;
  private final NetClient net;
  private final HttpClient http;
  private final RandomGenerator jitter;
  private final List<Long> timers = new ArrayList<>();

  public Prober(Vertx vertx, RandomGenerator jitter) {
    this.vertx = vertx;
    this.net = vertx.createNetClient();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.jitter = jitter;
  }

  /** Probes by TCP connect, or by HTTP GET when the pool has a probe path. */
  public void watch(Pool pool) {
    ProbeConfig probe = pool.config().probe();
    watch(
        pool,
        probe.path() == null || pool.config().isFastCgi()
            ? i -> connect(i, probe)
            : i -> httpGet(i, probe));
  }

  /** Probes with a custom check (e.g. FPM's ping path over FastCGI). */
  public void watch(Pool pool, Function<Instance, Future<Void>> check) {
    ProbeConfig probe = pool.config().probe();
    for (Instance instance : pool.instances()) {
      int[] streak = {0, 0}; // successes, failures
      Runnable run =
          () ->
              check
                  .apply(instance)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          streak[1] = 0;
                          if (++streak[0] >= probe.successThreshold()
                              && instance.markReady(jitter.nextDouble())) {
                            LOG.info("instance " + instance + " is READY");
                          }
                          return;
                        }
                        streak[0] = 0;
                        streak[1]++;
                        boolean ready = instance.state() == InstanceState.READY;
                        boolean giveUpStarting =
                            instance.state() == InstanceState.STARTING && streak[1] >= FALL * 5;
                        if ((ready && streak[1] >= FALL) || giveUpStarting) {
                          if (instance.markDown()) {
                            LOG.warning(
                                "instance " + instance + " is DOWN: " + ar.cause().getMessage());
                          }
                        }
                      });
      run.run();
      timers.add(vertx.setPeriodic(probe.intervalMs(), id -> run.run()));
    }
  }

  private Future<Void> connect(Instance instance, ProbeConfig probe) {
    return net.connect(
            new ConnectOptions()
                .setRemoteAddress(instance.socketAddress())
                .setTimeout(probe.timeoutMs()))
        .compose(socket -> socket.close());
  }

  private Future<Void> httpGet(Instance instance, ProbeConfig probe) {
    RequestOptions options =
        new RequestOptions()
            .setServer(instance.socketAddress())
            .setMethod(HttpMethod.GET)
            .setURI(probe.path())
            .setTimeout(probe.timeoutMs())
            .setConnectTimeout(probe.timeoutMs());
    return http.request(options)
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .compose(
                        body ->
                            resp.statusCode() / 100 == 2
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture("status " + resp.statusCode())));
  }

  public void stop() {
    timers.forEach(vertx::cancelTimer);
    net.close();
    http.close();
  }
}
