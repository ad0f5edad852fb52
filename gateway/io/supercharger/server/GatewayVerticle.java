package io.supercharger.server;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.PoolConfig;
import io.supercharger.fastcgi.FastCgiUpstream;
import io.supercharger.upstream.HttpUpstream;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One event loop's share of the gateway: a listener on the shared port and upstream clients bound
 * to this loop, so a proxied request never changes threads.
 */
final class GatewayVerticle extends VerticleBase {
  private final SharedState shared;
  private final int port;
  private HttpServer server;

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
      upstreams[pool.index()] =
          pc.isFastCgi()
              ? new FastCgiUpstream(
                  vertx,
                  pc,
                  shared.fastCgiLimits().get(pool.name()),
                  config.limits().maxBodyBytes())
              : new HttpUpstream(vertx, pc, config.limits().maxBodyBytes());
    }
    HeadTimeouts heads =
        new HeadTimeouts(vertx, config.timeouts().headerReadMs(), config.timeouts().idleMs());
    FrontHandler front = new FrontHandler(shared, context, upstreams, heads, false);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.listen().host())
            .setPort(port)
            .setMaxHeaderSize(config.limits().maxHeaderBytes())
            .setMaxInitialLineLength(config.limits().maxRequestLineBytes())
            .setIdleTimeout(config.timeouts().idleMs())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            .setHandle100ContinueAutomatically(false)
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            // With h2c on, Vert.x announces a connection only after sniffing its protocol, which
            // defeats the header_read_ms timer below; so h2c is opt-in.
            .setHttp2ClearTextEnabled(config.listen().h2c())
            .setAcceptBacklog(4096);
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(heads::connected)
            .requestHandler(
                request -> {
                  heads.requestArrived(request.connection());
                  front.handle(request);
                });
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  Future<Void> shutdown(long graceMs) {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(graceMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
