package io.supercharger.server;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.SecurityConfig;
import io.supercharger.fastcgi.FastCgiPoolLimits;
import io.supercharger.routing.Route;
import io.supercharger.routing.RouteTable;
import io.supercharger.security.CidrList;
import io.supercharger.security.ClientAddressResolver;
import io.supercharger.security.EndpointGuard;
import io.supercharger.security.FileToken;
import io.supercharger.security.StaticToken;
import io.supercharger.security.TokenSource;
import io.supercharger.split.Splitter;
import io.supercharger.split.StickyMode;
import io.supercharger.telemetry.AccessLog;
import io.supercharger.telemetry.BuildInfo;
import io.supercharger.telemetry.GatewayMetrics;
import io.supercharger.telemetry.StatusReport;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.Prober;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Builds the gateway from a config, starts one listener per event loop, and stops it gracefully. */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final List<GatewayVerticle> verticles;
  private final Prober prober;
  private final AccessLog accessLog;
  private final SharedState shared;
  private final int port;
  private volatile boolean accepting = true;

  private Gateway(Vertx vertx, List<GatewayVerticle> verticles, Prober prober, AccessLog accessLog,
      SharedState shared, int port) {
    this.vertx = vertx;
    this.verticles = verticles;
    this.prober = prober;
    this.accessLog = accessLog;
    this.shared = shared;
    this.port = port;
  }

  /** Starts the gateway and blocks until it listens. */
  public static Gateway start(GatewayConfig config, Options options) throws Exception {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(options.eventLoops()))
        .build();
    if (!vertx.isNativeTransportEnabled()) {
      LOG.severe("NATIVE TRANSPORT UNAVAILABLE: running on Java NIO, expect lower throughput. Cause: "
          + vertx.unavailableNativeTransportCause());
    }
    List<Pool> pools = new ArrayList<>();
    Map<String, Pool> byName = new LinkedHashMap<>();
    for (var pc : config.pools().values()) {
      Pool pool = new Pool(pools.size(), pc, vertx, options.clock());
      pools.add(pool);
      byName.put(pool.name(), pool);
    }
    Splitter splitter = new Splitter(StickyMode.fromConfig(config.split().sticky()),
        config.split().overrideEnabled(), orderedByPools(config, pools));
    RouteTable routes = RouteFactory.table(config.routes());
    List<String[]> routeLabels = new ArrayList<>();
    for (Route r : routes.routes()) {
      routeLabels.add(new String[] {r.name(), r.routeClass().label()});
    }
    GatewayMetrics metrics = new GatewayMetrics(routeLabels, pools,
        name -> splitter.snapshot().weights().getOrDefault(name, 0));
    AccessLog accessLog = AccessLog.open(config.accessLog());
    StatusReport status = new StatusReport(BuildInfo.load(), config, pools, splitter, options.clock());
    SecurityConfig sc = config.security();
    EndpointGuard guard = new EndpointGuard(EndpointGuard.Mode.parse(sc.effectiveMode()),
        CidrList.parse(sc.allowlist()), sc.tokenHeader(), tokenSource(sc, options.clock()));
    ClientAddressResolver resolver = new ClientAddressResolver(CidrList.parse(sc.trustedProxies()));
    Gateway[] self = new Gateway[1];
    ReservedEndpoints reserved = new ReservedEndpoints(config.endpoints(), guard, metrics, status,
        () -> self[0] != null && self[0].isReady());
    SharedState shared = new SharedState(config, routes, splitter, pools, byName, resolver, reserved,
        metrics, accessLog, () -> self[0] == null || self[0].accepting, fastCgiLimits(pools));
    Prober prober = new Prober(vertx);
    pools.forEach(prober::watch);

    List<GatewayVerticle> verticles = new ArrayList<>();
    // Vert.x shares one listening socket between servers on the same host and port. Port 0 would
    // give each loop its own random port; a negative port is Vert.x's "one shared random port".
    int listenPort = config.listen().port() == 0 ? -1 : config.listen().port();
    vertx.deployVerticle(() -> {
      GatewayVerticle verticle = new GatewayVerticle(shared, listenPort);
      synchronized (verticles) {
        verticles.add(verticle);
      }
      return verticle;
    }, new DeploymentOptions().setInstances(options.eventLoops())).await(10, TimeUnit.SECONDS);
    int port = verticles.get(0).actualPort();
    for (GatewayVerticle v : verticles) {
      if (v.actualPort() != port) {
        throw new IllegalStateException("event loops listen on different ports: " + port + " and " + v.actualPort());
      }
    }
    self[0] = new Gateway(vertx, verticles, prober, accessLog, shared, port);
    LOG.info("listening on " + config.listen().host() + ":" + port + " with " + options.eventLoops()
        + " event loops, native transport " + vertx.isNativeTransportEnabled());
    return self[0];
  }

  private static Map<String, FastCgiPoolLimits> fastCgiLimits(List<Pool> pools) {
    Map<String, FastCgiPoolLimits> limits = new LinkedHashMap<>();
    for (Pool pool : pools) {
      if (pool.config().isFastCgi()) {
        limits.put(pool.name(), new FastCgiPoolLimits(pool));
      }
    }
    return limits;
  }

  private static Map<String, Integer> orderedByPools(GatewayConfig config, List<Pool> pools) {
    Map<String, Integer> weights = new LinkedHashMap<>(config.split().weights());
    for (Pool p : pools) {
      weights.putIfAbsent(p.name(), 0);
    }
    return weights;
  }

  private static TokenSource tokenSource(SecurityConfig sc, Clock clock) {
    if (sc.token().isPresent()) {
      return new StaticToken(sc.token().value());
    }
    if (sc.tokenFile() != null && !sc.tokenFile().isEmpty()) {
      return new FileToken(Path.of(sc.tokenFile()), clock, Duration.ofSeconds(1));
    }
    return () -> null;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Listener up, accepting, and at least one pool has a READY instance. */
  public boolean isReady() {
    if (!accepting) {
      return false;
    }
    for (Pool p : shared.pools()) {
      if (p.hasReadyInstance()) {
        return true;
      }
    }
    return false;
  }

  public List<Pool> pools() {
    return shared.pools();
  }

  /**
   * SIGTERM: /ready fails at once, listeners stop accepting, in-flight requests get up to
   * {@code grace} to finish, then everything closes.
   */
  public void stop(Duration grace) {
    accepting = false;
    List<Future<Void>> shutdowns = new ArrayList<>();
    for (GatewayVerticle v : verticles) {
      shutdowns.add(v.shutdown(grace.toMillis()));
    }
    try {
      Future.join(shutdowns).await(grace.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warning("drain did not finish cleanly: " + e.getMessage());
    }
    prober.stop();
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning("vert.x did not close cleanly: " + e.getMessage());
    }
    accessLog.close();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(1));
  }

  /** How to run: the clock (injected for tests) and the number of event loops. */
  public record Options(Clock clock, int eventLoops) {
  }
}
