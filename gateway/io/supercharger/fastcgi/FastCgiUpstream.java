package io.supercharger.fastcgi;

import io.supercharger.config.FastCgiConfig;
import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.BodyWatch;
import io.supercharger.upstream.ClientReplies;
import io.supercharger.upstream.Exchange;
import io.supercharger.upstream.FailureKind;
import io.supercharger.upstream.ResponseRelay;
import io.supercharger.upstream.Upstream;
import io.supercharger.upstream.UpstreamException;
import io.supercharger.upstream.UpstreamRefusal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.util.logging.Logger;

/**
 * Proxies to php-fpm over FastCGI: builds the CGI params, streams a body of known length (a chunked
 * one is collected first, up to max_body_bytes), and relays FPM's CGI response. One per event loop
 * and pool.
 */
public final class FastCgiUpstream implements Upstream {
  private static final Logger STDERR = Logger.getLogger("io.supercharger.fastcgi.stderr");

  private final FastCgiClient client;
  private final FastCgiConfig fastcgi;
  private final FastCgiPoolLimits limits;
  private final long maxBodyBytes;
  private final Vertx vertx;
  private final long bodyReadMs;

  public FastCgiUpstream(
      Vertx vertx, PoolConfig pool, FastCgiPoolLimits limits, long maxBodyBytes) {
    this.vertx = vertx;
    this.bodyReadMs = pool.timeouts().bodyReadMs();
    this.fastcgi = pool.fastcgi();
    this.limits = limits;
    this.maxBodyBytes = maxBodyBytes;
    var t = pool.timeouts();
    this.client =
        new FastCgiClient(
            vertx,
            new FastCgiClientOptions(
                t.connectMs(),
                t.responseMs(),
                t.idleMs(),
                fastcgi.keepAlive(),
                Math.max(1, pool.queueTimeoutMs()),
                32_768));
  }

  @Override
  public Future<Void> prepare(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    if (!exchange.hasBody || request.getHeader(HttpHeaders.CONTENT_LENGTH) != null) {
      return Future.succeededFuture();
    }
    ClientReplies.continueIfExpected(request);
    // The discard is registered first: an exchange that ends mid-upload still frees the file.
    SpooledBody body = new SpooledBody(vertx);
    exchange.prepared(body, body::discard);
    return body.read(exchange, maxBodyBytes, bodyReadMs)
        .<Void>mapEmpty()
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof SpooledBody.Refused r ? new UpstreamRefusal(r.status) : e));
  }

  @Override
  public void forward(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    SpooledBody spooled = exchange.prepared();
    if (spooled != null) {
      spooled
          .open()
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  exchange.upstreamFailed(
                      new UpstreamException(
                          FailureKind.PROTOCOL, false, "cannot read the spooled body", ar.cause()));
                } else if (!exchange.isFinished()) {
                  send(exchange, ar.result(), spooled.length());
                }
              });
      return;
    }
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long length = declared == null ? 0 : Long.parseLong(declared);
    if (length > 0) {
      ClientReplies.continueIfExpected(request);
    }
    send(exchange, length == 0 ? null : request, length);
  }

  private void send(Exchange exchange, ReadStream<Buffer> body, long length) {
    HttpServerRequest request = exchange.request;
    CgiParams params = cgiParams(exchange);
    FastCgiCall[] call = new FastCgiCall[1];
    if (body == request) {
      BodyWatch watch =
          new BodyWatch(
              vertx,
              bodyReadMs,
              () -> {
                // A client that stops sending its body would pin an FPM child: answer 408 and
                // abort.
                if (exchange.isFinished()) {
                  return;
                }
                exchange.status(408);
                ClientReplies.send(request, 408, ClientReplies.text(408));
                exchange.finish();
                call[0].cancel();
              });
      body = new WatchedBody(request, watch, exchange);
    }
    String instance = exchange.instance().toString();
    call[0] =
        client.send(
            exchange.instance().socketAddress(),
            limits.of(exchange.instance()),
            params,
            body,
            length,
            isIdempotent(request.method()),
            chunk -> STDERR.warning(instance + ": " + chunk.toString().strip()));
    FastCgiCall sent = call[0];
    ReadStream<Buffer> sentBody = body;
    exchange.onCancel(
        () -> {
          if (sentBody instanceof WatchedBody watched) {
            watched.stopWatching();
          }
          sent.cancel();
        });
    sent.response()
        .onComplete(
            ar -> {
              if (exchange.isFinished()) {
                return;
              }
              if (ar.failed()) {
                // A retry watches the body anew; this attempt's stall watch must not answer 408.
                if (sentBody instanceof WatchedBody watched) {
                  watched.stopWatching();
                }
                exchange.upstreamFailed(toUpstreamFailure(ar.cause()));
                return;
              }
              FastCgiResponse response = ar.result();
              ResponseRelay.relay(
                  exchange,
                  response.status(),
                  response.reason(),
                  response.headers(),
                  response.body(),
                  response::cancel);
            });
  }

  private CgiParams cgiParams(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    SocketAddress local = request.localAddress();
    SocketAddress remote = request.remoteAddress();
    String host = request.authority() != null ? request.authority().host() : local.hostAddress();
    return CgiParams.builder(fastcgi.documentRoot(), fastcgi.index())
        .request(request.method().name(), request.uri(), exchange.upstreamHeaders)
        .protocol(protocol(request.version()))
        .remote(exchange.clientIp, remote == null ? 0 : remote.port())
        .server(host, local.hostAddress(), local.port())
        .https(exchange.https)
        .build();
  }

  private static String protocol(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }

  static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET
        || method == HttpMethod.HEAD
        || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT
        || method == HttpMethod.DELETE;
  }

  static UpstreamException toUpstreamFailure(Throwable cause) {
    if (!(cause instanceof FastCgiException e)) {
      return new UpstreamException(FailureKind.PROTOCOL, true, String.valueOf(cause), cause);
    }
    FailureKind kind =
        switch (e.kind()) {
          case CONNECT -> FailureKind.CONNECT;
          case TIMEOUT -> FailureKind.TIMEOUT;
          case RESET, CANCELLED -> FailureKind.RESET;
          case PROTOCOL -> FailureKind.PROTOCOL;
          case SATURATED -> FailureKind.UNAVAILABLE;
        };
    return new UpstreamException(kind, e.requestMayHaveRun(), e.getMessage(), e);
  }
}
