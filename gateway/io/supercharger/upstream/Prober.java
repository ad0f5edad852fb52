package io.supercharger.upstream;

import io.supercharger.config.ProbeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.List;
import java.util.logging.Logger;

/**
 * Readiness probes: a TCP connect, or an HTTP GET that must answer 2xx. A STARTING or DOWN instance
 * becomes READY on one success; a READY one goes DOWN after {@link #FALL} failures in a row, so a
 * single lost probe does not flap it.
 */
public final class Prober {
  static final int FALL = 2;
  private static final Logger LOG = Logger.getLogger(Prober.class.getName());

  private final Vertx vertx;
  private final NetClient net;
  private final HttpClient http;
  private final List<Long> timers = new java.util.ArrayList<>();

  public Prober(Vertx vertx) {
    this.vertx = vertx;
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  public void watch(Pool pool) {
    ProbeConfig probe = pool.config().probe();
    for (Instance instance : pool.instances()) {
      int[] failures = {0};
      Runnable check = () -> probeOnce(instance, probe).onComplete(ar -> {
        if (ar.succeeded()) {
          failures[0] = 0;
          if (instance.state() == InstanceState.STARTING || instance.state() == InstanceState.DOWN) {
            LOG.info("instance " + instance + " is READY");
            instance.moveTo(InstanceState.READY);
          }
        } else if (++failures[0] >= FALL || instance.state() != InstanceState.READY) {
          if (instance.state() == InstanceState.READY) {
            LOG.warning("instance " + instance + " is DOWN: " + ar.cause().getMessage());
            instance.moveTo(InstanceState.DOWN);
          } else if (instance.state() == InstanceState.STARTING && failures[0] >= FALL * 5) {
            instance.moveTo(InstanceState.DOWN);
          }
        }
      });
      check.run();
      timers.add(vertx.setPeriodic(probe.intervalMs(), id -> check.run()));
    }
  }

  private Future<Void> probeOnce(Instance instance, ProbeConfig probe) {
    if (probe.path() == null) {
      return net.connect(instance.socketAddress()).compose(socket -> socket.close());
    }
    RequestOptions options = new RequestOptions().setServer(instance.socketAddress())
        .setMethod(HttpMethod.GET).setURI(probe.path()).setTimeout(probe.timeoutMs())
        .setConnectTimeout(probe.timeoutMs());
    return http.request(options).compose(req -> req.send()).compose(resp -> {
      resp.body();
      return resp.statusCode() / 100 == 2 ? Future.succeededFuture()
          : Future.failedFuture("status " + resp.statusCode());
    });
  }

  public void stop() {
    timers.forEach(vertx::cancelTimer);
    net.close();
    http.close();
  }
}
