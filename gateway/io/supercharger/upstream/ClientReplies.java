package io.supercharger.upstream;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The gateway's own short answers to a client, in one shape: text, no caching, closed when needed.
 */
public final class ClientReplies {
  private ClientReplies() {}

  /**
   * Answers with {@code status} and a one-line body. When the request body was not read to its end,
   * the connection is closed after the answer: the unread rest would otherwise be taken for the
   * next request, and an abandoned upload would hold the socket.
   */
  public static void send(HttpServerRequest request, int status, String body) {
    HttpServerResponse response = request.response();
    // The standard reason: a message an upstream set on this response before it failed must go.
    response
        .setStatusCode(status)
        .setStatusMessage(HttpResponseStatus.valueOf(status).reasonPhrase())
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (request.isEnded()) {
      response.end(body);
      return;
    }
    response.putHeader(HttpHeaders.CONNECTION, "close");
    response.end(body).onComplete(v -> request.connection().close());
  }

  /**
   * Sends "100 Continue" when the client waits for it. Called right before the body is read, so a
   * request refused for its size or for want of an instance never uploads its body.
   */
  public static void continueIfExpected(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null
        && expect.equalsIgnoreCase("100-continue")
        && !request.response().headWritten()) {
      request.response().writeContinue();
    }
  }

  public static String text(int status) {
    return switch (status) {
      case 400 -> "bad request\n";
      case 500 -> "internal error\n";
      case 408 -> "request body timed out\n";
      case 413 -> "request body too large\n";
      case 503 -> "service unavailable\n";
      case 504 -> "gateway timeout\n";
      default -> "bad gateway\n";
    };
  }
}
