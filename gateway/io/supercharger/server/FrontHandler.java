package io.supercharger.server;

import io.supercharger.config.SplitConfig;
import io.supercharger.routing.PathNormalizer;
import io.supercharger.routing.Route;
import io.supercharger.routing.RouteClass;
import io.supercharger.security.CidrList;
import io.supercharger.split.SplitDecision;
import io.supercharger.telemetry.AccessLog;
import io.supercharger.upstream.ClientReplies;
import io.supercharger.upstream.Exchange;
import io.supercharger.upstream.ExchangeListener;
import io.supercharger.upstream.FailureKind;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.Upstream;
import io.supercharger.upstream.UpstreamException;
import io.supercharger.upstream.UpstreamRefusal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request path of one event loop: normalize, reserved endpoints, route, split, acquire an
 * instance, forward, and record. It also decides retries, since it is the one that knows the
 * exchange's history.
 */
final class FrontHandler implements Handler<HttpServerRequest>, ExchangeListener {
  private static final int MAX_ATTEMPTS = 3;

  /**
   * What the circuit breaker counts a 5xx as; one shared instance, since nothing reads its trace.
   */
  private static final Exception POOL_FAILURE =
      new Exception("5xx from the pool", null, false, false) {};

  private static final Logger LOG = Logger.getLogger(FrontHandler.class.getName());

  private final SharedState shared;
  private final Context context;
  private final Upstream[] upstreams;
  private final ForwardedHeaders forwarded;
  private final SplitConfig split;
  private final boolean https;
  private final HeadTimeouts heads;
  private final CidrList overrideAllowed;

  /** The splitter numbers pools in split.weights order, which need not be the pools' order. */
  private final Pool[] poolsBySplitIndex;

  FrontHandler(
      SharedState shared,
      Context context,
      Upstream[] upstreams,
      HeadTimeouts heads,
      boolean https) {
    this.shared = shared;
    this.context = context;
    this.upstreams = upstreams;
    this.forwarded = new ForwardedHeaders(shared.resolver());
    this.split = shared.config().split();
    this.https = https;
    this.heads = heads;
    this.overrideAllowed = CidrList.parse(shared.config().security().allowlist());
    var names = shared.splitter().snapshot().pools();
    this.poolsBySplitIndex = new Pool[names.size()];
    for (int i = 0; i < names.size(); i++) {
      poolsBySplitIndex[i] = shared.poolsByName().get(names.get(i));
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String peerIp =
        request.remoteAddress() == null ? "0.0.0.0" : request.remoteAddress().hostAddress();
    String clientIp =
        shared
            .resolver()
            .clientIp(peerIp, request.headers().getAll(ForwardedHeaders.X_FORWARDED_FOR));
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      reject(request, 400, "bad request path\n", start, clientIp, null);
      return;
    }
    if (shared.reserved().isReserved(path)) {
      shared.reserved().handle(request, path, clientIp);
      return;
    }
    Route route = shared.routes().match(request.method().name(), path);
    long declared = declaredLength(request);
    if (declared == -2) {
      reject(request, 400, "bad content-length\n", start, clientIp, route);
      return;
    }
    if (declared > shared.config().limits().maxBodyBytes()) {
      reject(request, 413, "request body too large\n", start, clientIp, route);
      return;
    }
    Pool pool = admit(withFallback(pickPool(request, route, clientIp)));
    if (pool == null) {
      reject(request, 503, "service unavailable\n", start, clientIp, route);
      return;
    }
    String requestId = forwarded.requestId(request, peerIp);
    Exchange exchange =
        new Exchange(
            request,
            start,
            clientIp,
            requestId,
            route.name(),
            route.index(),
            route.routeClass() == RouteClass.WRITE,
            forwarded.build(request, peerIp, requestId, https),
            https,
            this);
    exchange.admitted(pool);
    if (exchange.hasBody) {
      // Hold the body until an upstream can take it. A bodyless request is not paused: a paused
      // request also stops Vert.x reading the next request on a keep-alive connection.
      request.pause();
    }
    request.response().closeHandler(v -> exchange.abort());
    request.response().exceptionHandler(err -> exchange.abort());
    Future<Void> prepared = upstreams[pool.index()].prepare(exchange);
    if (prepared.succeeded()) {
      acquire(exchange, pool, null);
      return;
    }
    prepared.onComplete(
        ar -> {
          if (exchange.isFinished()) {
            return;
          }
          if (ar.succeeded()) {
            acquire(exchange, pool, null);
          } else {
            int status = ar.cause() instanceof UpstreamRefusal refusal ? refusal.status() : 500;
            exchange.status(status);
            ClientReplies.send(request, status, ClientReplies.text(status));
            exchange.finish();
          }
        });
  }

  private Pool pickPool(HttpServerRequest request, Route route, String clientIp) {
    if (route.pool() != null) {
      return shared.poolsByName().get(route.pool());
    }
    String override =
        split.overrideEnabled()
                && (split.overrideFromAnyone() || overrideAllowed.contains(clientIp))
            ? request.getHeader(split.overrideHeader())
            : null;
    String sticky =
        switch (split.sticky()) {
          case "cookie" -> Cookies.value(request.getHeader(HttpHeaders.COOKIE), split.cookie());
          case "header" -> request.getHeader(split.header());
          case "ip" -> clientIp;
          default -> null;
        };
    SplitDecision decision = shared.splitter().pick(override, sticky);
    if (decision.assignCookie()) {
      request
          .response()
          .headers()
          .add(
              HttpHeaders.SET_COOKIE,
              split.cookie()
                  + "="
                  + decision.bucket()
                  + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
    }
    return poolsBySplitIndex[decision.poolIndex()];
  }

  /**
   * The circuit breaker's say: an open circuit sends the pool's traffic to the pool it diverts to
   * (the canary's baseline, or its fallback) at once; null when no pool can take the request.
   */
  private static Pool admit(Pool pool) {
    if (pool.breaker().tryAcquirePermission()) {
      return pool;
    }
    Pool other = pool.divertTo();
    return other != null && other.breaker().tryAcquirePermission() ? other : null;
  }

  /** While a pool has no READY instance (e.g. its only one is recycling), its fallback serves. */
  private Pool withFallback(Pool pool) {
    String fallback = pool.config().fallback();
    if (fallback == null || pool.hasReadyInstance()) {
      return pool;
    }
    Pool other = shared.poolsByName().get(fallback);
    return other.hasReadyInstance() ? other : pool;
  }

  /**
   * @param previous the failure of the last try, if this is a retry: when no other instance can
   *     take the request, the client hears about that failure (502/504), not a 503
   */
  private void acquire(Exchange exchange, Pool pool, FailureKind previous) {
    Runnable leaveQueue =
        pool.acquire(
            context,
            instance -> {
              if (exchange.isFinished()) {
                pool.release(instance, context);
                return;
              }
              exchange.assign(pool, instance);
              try {
                upstreams[pool.index()].forward(exchange);
              } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "upstream " + instance + " failed to take a request", e);
                exchange.upstreamFailed(
                    new UpstreamException(FailureKind.PROTOCOL, true, e.toString(), e));
              }
            },
            kind -> {
              if (!exchange.isFinished()) {
                answerFailure(exchange, pool, previous != null ? previous : kind);
              }
            });
    if (leaveQueue != null) {
      // A client that leaves while queued gives its place up at once, not at queue_timeout_ms.
      exchange.onCancel(leaveQueue);
    }
  }

  @Override
  public void onUpstreamFailure(Exchange exchange, UpstreamException failure) {
    Pool pool = exchange.pool();
    shared.metrics().upstreamError(pool.index(), failure.kind());
    if (failure.kind() == FailureKind.CONNECT) {
      // Passive health: a refused connect takes the instance out until its probe passes again.
      exchange.instance().markDown();
    }
    pool.release(exchange.instance(), context);
    exchange.clearInstance();
    if (exchange.attempts() < Math.min(MAX_ATTEMPTS, pool.instances().size() + 1)
        && mayRetry(exchange, failure)) {
      acquire(exchange, pool, failure.kind());
      return;
    }
    answerFailure(exchange, pool, failure.kind());
  }

  /**
   * A request may go to another try only if the upstream cannot have run it: the connect failed, or
   * it is idempotent, has no body, and nothing of the response arrived.
   */
  private static boolean mayRetry(Exchange exchange, UpstreamException failure) {
    if (!failure.requestMayHaveRun()) {
      return true;
    }
    HttpMethod m = exchange.request.method();
    boolean idempotent =
        m == HttpMethod.GET
            || m == HttpMethod.HEAD
            || m == HttpMethod.OPTIONS
            || m == HttpMethod.PUT
            || m == HttpMethod.DELETE;
    return idempotent
        && failure.kind() == FailureKind.RESET
        && exchange.bytesIn() == 0
        && !exchange.hasBody;
  }

  private void answerFailure(Exchange exchange, Pool pool, FailureKind kind) {
    exchange.failure(kind);
    exchange.status(kind.status());
    if (!exchange.response.headWritten()) {
      ClientReplies.send(exchange.request, kind.status(), ClientReplies.text(kind.status()));
    }
    exchange.finish();
  }

  @Override
  public void onComplete(Exchange exchange) {
    if (!exchange.aborted()
        && exchange.request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      heads.responded(exchange.request.connection());
    }
    Pool pool = exchange.admitted();
    if (exchange.instance() != null) {
      exchange.pool().release(exchange.instance(), context);
    }
    long nanos = System.nanoTime() - exchange.startNanos;
    int status = exchange.aborted() ? 499 : exchange.status();
    shared
        .metrics()
        .recordRequest(
            exchange.routeIndex,
            pool == null ? -1 : pool.index(),
            status,
            exchange.aborted(),
            nanos);
    if (pool != null) {
      recordOutcome(pool, exchange, status, nanos);
    }
    if (shared.accessLog().enabled()) {
      AccessLog.Entry e = new AccessLog.Entry();
      e.requestId = exchange.requestId;
      e.client = exchange.clientIp;
      e.method = exchange.request.method().name();
      e.path = exchange.request.path();
      e.route = exchange.routeName;
      e.pool = pool == null ? null : pool.name();
      e.instance = exchange.lastInstance() == null ? null : exchange.lastInstance().addressText();
      e.status = status;
      e.durationNanos = nanos;
      e.bytesIn = exchange.bytesIn();
      e.bytesOut = exchange.bytesOut();
      e.error = exchange.failure() == null ? null : exchange.failure().label();
      shared.accessLog().log(e);
    }
  }

  /**
   * Feeds the pool's circuit breaker and the canary's sliding windows. The circuit breaker hears
   * only about the pool: its upstream errors and the 5xx it answered. The gateway's own refusals
   * (no slot in time, a client's aborted or rejected upload) say nothing about the pool's health,
   * so they hand the permission back. The SLO windows count every 5xx the client saw.
   */
  private void recordOutcome(Pool pool, Exchange exchange, int status, long nanos) {
    boolean failed = status >= 500;
    FailureKind failure = exchange.failure();
    boolean neverSent = exchange.attempts() == 0;
    if (exchange.aborted() || neverSent || failure == FailureKind.UNAVAILABLE) {
      pool.breaker().releasePermission();
    } else if (failure != null || failed) {
      pool.breaker().onError(nanos, TimeUnit.NANOSECONDS, POOL_FAILURE);
    } else {
      pool.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
    if (shared.windows() != null && !exchange.aborted()) {
      shared.windows().record(pool.index(), exchange.writeClass, nanos, failed);
    }
  }

  /** Content-Length as a number; -1 when absent, -2 when malformed. */
  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    if (value.isEmpty() || value.length() > 18) {
      return -2;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -2;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private void reject(
      HttpServerRequest request,
      int status,
      String body,
      long start,
      String clientIp,
      Route route) {
    ClientReplies.send(request, status, body);
    Route r = route != null ? route : shared.routes().defaultRoute();
    shared.metrics().recordRequest(r.index(), -1, status, false, System.nanoTime() - start);
  }
}
