package io.supercharger.upstream;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * Passes a WebSocket upgrade through: on 101 both connections become raw byte pipes with
 * back-pressure in both directions (Vert.x pipes pause the source when the sink is full).
 */
final class WebSocketTunnel {
  private final Exchange exchange;
  private final HttpClientRequest upstream;
  private final HttpUpstream owner;

  WebSocketTunnel(Exchange exchange, HttpClientRequest upstream, HttpUpstream owner) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.owner = owner;
  }

  static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    String connection = request.getHeader(HttpHeaders.CONNECTION);
    return request.method() == HttpMethod.GET
        && upgrade != null
        && "websocket".equalsIgnoreCase(upgrade)
        && connection != null
        && HopByHop.listedIn(connection, "upgrade");
  }

  void start() {
    exchange.onCancel(upstream::reset);
    upstream.putHeader(HttpHeaders.CONNECTION, "Upgrade");
    upstream.putHeader(HttpHeaders.UPGRADE, exchange.request.getHeader(HttpHeaders.UPGRADE));
    boolean[] timedOut = {false};
    long timer =
        owner
            .vertx()
            .setTimer(
                owner.timeouts().responseMs(),
                id -> {
                  timedOut[0] = true;
                  upstream.reset();
                });
    upstream
        .connect()
        .onComplete(
            ar -> {
              owner.vertx().cancelTimer(timer);
              if (exchange.isFinished()) {
                return;
              }
              if (ar.failed()) {
                exchange.upstreamFailed(
                    timedOut[0]
                        ? new UpstreamException(
                            FailureKind.TIMEOUT,
                            true,
                            "no upgrade answer within response_ms",
                            ar.cause())
                        : new UpstreamException(
                            FailureKind.RESET, true, "upgrade failed", ar.cause()));
                return;
              }
              var response = ar.result();
              if (response.statusCode() != 101) {
                HttpUpstream.relayResponse(exchange, response, () -> {});
                return;
              }
              var front = exchange.response;
              exchange.status(101);
              front.setStatusCode(101);
              response.headers().forEach(h -> front.headers().add(h.getKey(), h.getValue()));
              NetSocket upstreamSocket = response.netSocket();
              upstreamSocket.pause();
              exchange
                  .request
                  .toNetSocket()
                  .onComplete(
                      fs -> {
                        if (fs.failed()) {
                          upstreamSocket.close();
                          exchange.failure(FailureKind.PROTOCOL);
                          exchange.finish();
                          return;
                        }
                        NetSocket client = fs.result();
                        exchange.onCancel(upstreamSocket::close);
                        client.closeHandler(v -> sideClosed(upstreamSocket));
                        upstreamSocket.closeHandler(v -> sideClosed(client));
                        client.pipeTo(upstreamSocket);
                        upstreamSocket.pipeTo(client);
                      });
            });
  }

  /** Either side closing ends the tunnel: close the other and finish once. */
  private void sideClosed(NetSocket other) {
    other.close();
    exchange.finish();
  }
}
