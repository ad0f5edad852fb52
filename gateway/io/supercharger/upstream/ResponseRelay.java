package io.supercharger.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;

/**
 * Streams an upstream response (HTTP or CGI) to the client with back-pressure. A body that breaks
 * before its end resets the client connection: a cut-short response must never look complete.
 */
public final class ResponseRelay {
  private ResponseRelay() {}

  /**
   * @param onBroken run when the upstream's body breaks, and when the answer ends before the client
   *     finished its upload: the caller stops reading the upload and drops its request
   */
  public static void relay(
      Exchange exchange,
      int status,
      String reason,
      MultiMap headers,
      ReadStream<Buffer> body,
      Runnable onBroken) {
    HttpServerResponse front = exchange.response;
    exchange.status(status);
    front.setStatusCode(status);
    if (reason != null && !reason.isEmpty()) {
      front.setStatusMessage(reason);
    }
    HopByHop.copyEndToEnd(headers, front.headers());
    String recycleHeader = exchange.pool().config().recycleHeader();
    String recycle = front.headers().get(recycleHeader);
    if (recycle != null) {
      // The instance announces its own recycle: stop sending it new requests at once. The
      // header is between the engine and the gateway; the client never sees it.
      front.headers().remove(recycleHeader);
      if ("1".equals(recycle) || "true".equalsIgnoreCase(recycle)) {
        exchange.pool().requestRecycle(exchange.instance(), RecycleReason.SELF_SIGNALLED);
      }
    }
    boolean bodyless =
        exchange.request.method() == HttpMethod.HEAD || status == 204 || status == 304;
    // Without a length, HTTP/1.1 gets chunks; HTTP/1.0 knows no chunks, so the end of the body is
    // the end of the connection, whatever keep-alive the client asked for.
    boolean closeAtEnd = false;
    if (!bodyless && !front.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      if (exchange.request.version() == HttpVersion.HTTP_1_0) {
        front.putHeader(HttpHeaders.CONNECTION, "close");
        closeAtEnd = true;
      } else {
        front.setChunked(true);
      }
    }
    boolean close = closeAtEnd;
    body.handler(
        chunk -> {
          exchange.addBytesOut(chunk.length());
          front.write(chunk);
          if (front.writeQueueFull()) {
            body.pause();
            // A kept-alive upstream connection serves the next exchange once this one ended: a
            // late drain must not resume it under that exchange's own back-pressure.
            front.drainHandler(
                v -> {
                  if (!exchange.isFinished()) {
                    body.resume();
                  }
                });
          }
        });
    body.exceptionHandler(
        err -> {
          if (!exchange.isFinished()) {
            exchange.failure(FailureKind.RESET);
            onBroken.run();
            front.reset();
            exchange.finish();
          }
        });
    body.endHandler(
        v -> {
          if (!exchange.isFinished()) {
            // An upstream may answer before the client finished its upload: the rest of that
            // upload is abandoned, and the connection cannot carry another request.
            boolean uploadLeft = !exchange.request.isEnded();
            if (uploadLeft) {
              onBroken.run();
            }
            if (close || uploadLeft) {
              front.end().onComplete(done -> exchange.request.connection().close());
            } else {
              front.end();
            }
            exchange.finish();
          }
        });
  }
}
