package io.supercharger.upstream;

import io.supercharger.config.PoolConfig;
import io.supercharger.config.Timeouts;
import io.supercharger.upstream.h1.H1Connection;
import io.supercharger.upstream.h1.H1Connections;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;

/**
 * Proxies to an HTTP engine (RoadRunner, FrankenPHP, Swoole, the PHP worker runner). One per event
 * loop and pool: its client is bound to the loop, so a request never hops threads.
 */
public final class HttpUpstream implements Upstream {
  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final long maxBodyBytes;
  private final DeadlineQueue responseDeadlines;
  private final H1Connections connections;

  /** Must be built on the event loop whose exchanges it serves. */
  public HttpUpstream(Vertx vertx, PoolConfig pool, long maxBodyBytes) {
    this.vertx = vertx;
    this.timeouts = pool.timeouts();
    this.maxBodyBytes = maxBodyBytes;
    HttpClientOptions options =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(Math.max(1, timeouts.idleMs() / 1000))
            .setConnectTimeout(timeouts.connectMs())
            // A response body that stalls this long ends the attempt (nginx's proxy_read_timeout).
            .setIdleTimeout(timeouts.idleMs())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setMaxInitialLineLength(16 * 1024)
            .setMaxHeaderSize(64 * 1024);
    int perLoop = pool.maxInFlight() > 0 ? pool.maxInFlight() : 256;
    // Vert.x's client stays for WebSocket upgrades only; plain exchanges use the gateway's own.
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(perLoop));
    this.connections =
        new H1Connections(
            vertx.getOrCreateContext(),
            timeouts.connectMs(),
            timeouts.idleMs(),
            16 * 1024,
            64 * 1024,
            perLoop);
    // response_ms to within 2% (at most 50 ms late), with one sweep per loop instead of a timer per
    // request.
    this.responseDeadlines =
        new DeadlineQueue(
            vertx, timeouts.responseMs(), Math.max(1, Math.min(50, timeouts.responseMs() / 50)));
  }

  @Override
  public void forward(Exchange exchange) {
    if (WebSocketTunnel.isUpgrade(exchange.request)) {
      forwardUpgrade(exchange);
      return;
    }
    Instance instance = exchange.instance();
    connections.acquire(
        instance.socketAddress(),
        instance.address().host(),
        instance.address().port(),
        new H1Connections.Acquired() {
          @Override
          public void connected(H1Connection connection) {
            if (exchange.isFinished()) {
              connection.release();
              return;
            }
            new HttpAttempt(vertx, exchange, connection, timeouts, maxBodyBytes, responseDeadlines)
                .start();
          }

          @Override
          public void failed(Throwable cause) {
            exchange.upstreamFailed(connectFailure(cause));
          }
        });
  }

  private void forwardUpgrade(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    RequestOptions options =
        new RequestOptions()
            .setServer(exchange.instance().socketAddress())
            .setMethod(request.method())
            .setURI(request.uri())
            .setHeaders(exchange.upstreamHeaders)
            .setConnectTimeout(timeouts.connectMs());
    client
        .request(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                exchange.upstreamFailed(connectFailure(ar.cause()));
                return;
              }
              HttpClientRequest upstreamRequest = ar.result();
              if (exchange.isFinished()) {
                upstreamRequest.reset();
                return;
              }
              if (request.authority() != null) {
                upstreamRequest.authority(request.authority());
              }
              new WebSocketTunnel(exchange, upstreamRequest, this).start();
            });
  }

  static UpstreamException connectFailure(Throwable cause) {
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new UpstreamException(FailureKind.TIMEOUT, false, "connect timeout", cause);
    }
    if (cause instanceof ConnectException) {
      return new UpstreamException(FailureKind.CONNECT, false, "connect failed", cause);
    }
    return new UpstreamException(FailureKind.CONNECT, false, "connect failed", cause);
  }

  /** Whether the client's request carries a body, and how to frame it upstream. */
  public static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !"0".equals(length);
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return te != null && te.regionMatches(true, te.length() - 7, "chunked", 0, 7);
  }

  Timeouts timeouts() {
    return timeouts;
  }

  Vertx vertx() {
    return vertx;
  }

  /** Relays an upstream HTTP response; shared with the WebSocket tunnel's non-101 answers. */
  static void relayResponse(Exchange exchange, HttpClientResponse response, Runnable onBroken) {
    ResponseRelay.relay(
        exchange,
        response.statusCode(),
        response.statusMessage(),
        response.headers(),
        response,
        onBroken);
  }
}
