package io.supercharger.server;

import io.supercharger.canary.CanaryRuntime;
import io.supercharger.canary.PoolWindows;
import io.supercharger.config.GatewayConfig;
import io.supercharger.config.SecurityConfig;
import io.supercharger.fastcgi.FastCgiPoolLimits;
import io.supercharger.lifecycle.EngineAdapters;
import io.supercharger.lifecycle.LifecycleEvents;
import io.supercharger.lifecycle.Lifecycles;
import io.supercharger.lifecycle.PoolLifecycle;
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
import io.supercharger.telemetry.FlightRecorder;
import io.supercharger.telemetry.GatewayMetrics;
import io.supercharger.telemetry.StatusReport;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.Prober;
import io.supercharger.upstream.RecycleReason;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Builds the gateway from a config, starts one listener per event loop, and stops it gracefully.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final List<GatewayVerticle> verticles;
  private final Prober prober;
  private final Lifecycles lifecycles;
  private final CanaryRuntime canary;
  private final AccessLog accessLog;
  private final SharedState shared;
  private final int port;
  private volatile boolean accepting = true;

  private Gateway(
      Vertx vertx,
      List<GatewayVerticle> verticles,
      Prober prober,
      Lifecycles lifecycles,
      CanaryRuntime canary,
      AccessLog accessLog,
      SharedState shared,
      int port) {
    this.vertx = vertx;
    this.verticles = verticles;
    this.prober = prober;
    this.lifecycles = lifecycles;
    this.canary = canary;
    this.accessLog = accessLog;
    this.shared = shared;
    this.port = port;
  }

  /** Starts the gateway and blocks until it listens. */
  public static Gateway start(GatewayConfig config, Options options) throws Exception {
    Vertx vertx = createVertx(options.eventLoops());
    List<Pool> pools = createPools(config, vertx, options.clock());
    Map<String, Pool> byName = new LinkedHashMap<>();
    pools.forEach(p -> byName.put(p.name(), p));
    Splitter splitter =
        new Splitter(
            StickyMode.fromConfig(config.split().sticky()),
            config.split().overrideEnabled(),
            orderedByPools(config, pools));
    RouteTable routes = RouteFactory.table(config.routes());
    GatewayMetrics metrics =
        new GatewayMetrics(
            routeLabels(routes),
            pools,
            name -> splitter.snapshot().weights().getOrDefault(name, 0));
    Lifecycles lifecycles =
        Lifecycles.start(vertx, pools, options.clock(), lifecycleEvents(metrics));
    pools.stream()
        .filter(p -> lifecycles.of(p.name()) != null)
        .forEach(p -> metrics.lifecyclePool(p.name(), lifecycles.of(p.name())::paused));
    AccessLog accessLog = AccessLog.open(config.accessLog());
    FlightRecorder recorder = flightRecorder(config, options.clock());
    accessLog.recorder(recorder);
    PoolWindows windows = null;
    CanaryRuntime canary = null;
    if (config.canary() != null && config.canary().enabled()) {
      windows =
          new PoolWindows(
              pools.size(), Math.max(60, config.canary().intervalSecond()) + 1, options.clock());
      canary =
          CanaryRuntime.start(
              vertx,
              config.canary(),
              splitter,
              windows,
              byName,
              lifecycles::of,
              metrics.registry(),
              recorder,
              options.clock());
    }
    for (Pool pool : pools) {
      if (pool.config().fallback() != null && pool.divertTo() == null) {
        pool.divertTo(byName.get(pool.config().fallback()));
      }
    }
    CanaryRuntime canaryRuntime = canary;
    StatusReport status =
        new StatusReport(
            BuildInfo.load(),
            config,
            pools,
            splitter,
            lifecycles::of,
            canary == null ? null : canary::status,
            options.clock());
    metrics.accessLogDrops(accessLog::dropped);
    if (recorder != null) {
      recorder.sources(status::render, metrics::scrape);
    }
    SecurityConfig sc = config.security();
    TokenSource tokens = tokenSource(sc, options.clock());
    EndpointGuard guard =
        new EndpointGuard(
            EndpointGuard.Mode.parse(sc.effectiveMode()),
            CidrList.parse(sc.allowlist()),
            sc.tokenHeader(),
            tokens);
    // Mutations need the token whatever the mode: an allowlisted address alone cannot change state.
    EndpointGuard tokenGuard =
        new EndpointGuard(EndpointGuard.Mode.TOKEN, CidrList.EMPTY, sc.tokenHeader(), tokens);
    Gateway[] self = new Gateway[1];
    AdminApi admin = new AdminApi(byName, lifecycles::of, canaryRuntime, recorder);
    ReservedEndpoints reserved =
        new ReservedEndpoints(
            config.endpoints(),
            guard,
            tokenGuard,
            metrics,
            status,
            admin,
            () -> self[0] != null && self[0].isReady());
    SharedState shared =
        new SharedState(
            config,
            routes,
            splitter,
            pools,
            byName,
            new ClientAddressResolver(CidrList.parse(sc.trustedProxies())),
            reserved,
            metrics,
            accessLog,
            fastCgiLimits(pools),
            windows);
    Prober prober = new Prober(vertx, new Random());
    for (Pool pool : pools) {
      var check = EngineAdapters.readinessCheck(vertx, pool.config());
      if (check == null) {
        prober.watch(pool);
      } else {
        prober.watch(pool, check);
      }
    }
    List<GatewayVerticle> verticles = deploy(vertx, shared, options.eventLoops());
    int port = verticles.get(0).actualPort();
    self[0] =
        new Gateway(vertx, verticles, prober, lifecycles, canaryRuntime, accessLog, shared, port);
    LOG.info(
        "listening on "
            + config.listen().host()
            + ":"
            + port
            + " with "
            + options.eventLoops()
            + " event loops, native transport "
            + vertx.isNativeTransportEnabled());
    return self[0];
  }

  private static Vertx createVertx(int eventLoops) {
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops))
            .build();
    if (!vertx.isNativeTransportEnabled()) {
      LOG.severe(
          "NATIVE TRANSPORT UNAVAILABLE: running on Java NIO, expect lower throughput. Cause: "
              + vertx.unavailableNativeTransportCause());
    }
    return vertx;
  }

  private static List<Pool> createPools(GatewayConfig config, Vertx vertx, Clock clock) {
    List<Pool> pools = new ArrayList<>();
    for (var pc : config.pools().values()) {
      pools.add(new Pool(pools.size(), pc, vertx, clock));
    }
    return pools;
  }

  private static List<String[]> routeLabels(RouteTable routes) {
    List<String[]> labels = new ArrayList<>();
    for (Route r : routes.routes()) {
      labels.add(new String[] {r.name(), r.routeClass().label()});
    }
    return labels;
  }

  /**
   * One verticle per event loop. Vert.x shares one listening socket between servers on the same
   * host and port; port 0 would give each loop its own random port, so a negative port asks for
   * Vert.x's "one shared random port".
   */
  private static List<GatewayVerticle> deploy(Vertx vertx, SharedState shared, int eventLoops)
      throws Exception {
    List<GatewayVerticle> verticles = new ArrayList<>();
    int configured = shared.config().listen().port();
    int listenPort = configured == 0 ? -1 : configured;
    vertx
        .deployVerticle(
            () -> {
              GatewayVerticle verticle = new GatewayVerticle(shared, listenPort);
              synchronized (verticles) {
                verticles.add(verticle);
              }
              return verticle;
            },
            new DeploymentOptions().setInstances(eventLoops))
        .await(10, TimeUnit.SECONDS);
    int port = verticles.get(0).actualPort();
    for (GatewayVerticle v : verticles) {
      if (v.actualPort() != port) {
        throw new IllegalStateException(
            "event loops listen on different ports: " + port + " and " + v.actualPort());
      }
    }
    return verticles;
  }

  private static FlightRecorder flightRecorder(GatewayConfig config, Clock clock) {
    var fr = config.flightRecorder();
    return fr.enabled()
        ? new FlightRecorder(fr.lines(), java.nio.file.Path.of(fr.dir()), clock)
        : null;
  }

  private static LifecycleEvents lifecycleEvents(GatewayMetrics metrics) {
    return new LifecycleEvents() {
      @Override
      public void drainStarted(Instance instance, RecycleReason reason) {}

      @Override
      public void recycled(
          Instance instance, RecycleReason reason, double drainSeconds, int overruns) {
        metrics.recycled(instance.poolName(), reason, drainSeconds, overruns);
      }

      @Override
      public void pausedChanged(String pool, boolean paused) {}
    };
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

  /** The split's weights now (the canary moves them). */
  public Map<String, Integer> weights() {
    return shared.splitter().snapshot().weights();
  }

  /** The canary, or null without a canary section. */
  public CanaryRuntime canary() {
    return canary;
  }

  /** The pool's lifecycle, or null when it does not recycle. */
  public PoolLifecycle lifecycle(String pool) {
    return lifecycles.of(pool);
  }

  /**
   * SIGTERM: /ready fails at once, listeners stop accepting, in-flight requests get up to {@code
   * grace} to finish, then everything closes.
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
    lifecycles.stop();
    if (canary != null) {
      canary.stop();
    }
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
  public record Options(Clock clock, int eventLoops) {}
}
