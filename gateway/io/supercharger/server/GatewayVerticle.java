package io.supercharger.server;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.HttpUpstream;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.HashSet;
import java.util.Set;
import io.supercharger.fastcgi.FastCgiUpstream;

/**
 * One event loop's share of the gateway: a listener on the shared port and upstream clients bound
 * to this loop, so a proxied request never changes threads.
 */
final class GatewayVerticle extends VerticleBase {
  private final SharedState shared;
  private final int port;
  private HttpServer server;
  /** Connections that have not yet sent a complete request head (header_read_ms applies). */
  private final Set<HttpConnection> awaitingHead = new HashSet<>();

  GatewayVerticle(SharedState shared, int port) {
    this.shared = shared;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = shared.config();
    Upstream[] upstreams = new Upstream[shared.pools().size()];
    for (Pool pool : shared.pools()) {
      PoolConfig pc = pool.config();
      upstreams[pool.index()] = pc.isFastCgi()
          ? new FastCgiUpstream(vertx, pc, shared.fastCgiLimits().get(pool.name()), config.limits().maxBodyBytes())
          : new HttpUpstream(vertx, pc, config.limits().maxBodyBytes());
    }
    FrontHandler front = new FrontHandler(shared, context, upstreams, false);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.listen().host())
        .setPort(port)
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        .setMaxInitialLineLength(config.limits().maxRequestLineBytes())
        .setIdleTimeout(config.timeouts().idleMs())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setHandle100ContinueAutomatically(true)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // With h2c on, Vert.x announces a connection only after sniffing its protocol, which
        // defeats the header_read_ms timer below; so h2c is opt-in.
        .setHttp2ClearTextEnabled(config.listen().h2c())
        .setAcceptBacklog(4096);
    int headerReadMs = config.timeouts().headerReadMs();
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          awaitingHead.add(connection);
          connection.closeHandler(v -> awaitingHead.remove(connection));
          vertx.setTimer(headerReadMs, id -> {
            if (awaitingHead.remove(connection)) {
              // A client that cannot send one request head in time (slowloris) loses the connection.
              connection.close();
            }
          });
        })
        .requestHandler(request -> {
          if (!awaitingHead.isEmpty()) {
            awaitingHead.remove(request.connection());
          }
          front.handle(request);
        });
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  Future<Void> shutdown(long graceMs) {
    return server == null ? Future.succeededFuture()
        : server.shutdown(graceMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
