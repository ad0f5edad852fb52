package io.supercharger.fastcgi;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The CGI response of FPM: status, reason and headers from the CGI header block (without {@code
 * Status:}), and the body as a back-pressured stream that ends only on END_REQUEST. A response cut
 * short fails the body stream with a {@link FastCgiException}; it never ends cleanly.
 */
public final class FastCgiResponse {

  private final int status;
  private final String reason;
  private final MultiMap headers;
  private final FcgiBodyStream body;

  FastCgiResponse(int status, String reason, MultiMap headers, FcgiBodyStream body) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public MultiMap headers() {
    return headers;
  }

  public ReadStream<Buffer> body() {
    return body;
  }

  /** The consumer gives up on the body: sends ABORT_REQUEST and closes the connection. */
  public void cancel() {
    body.cancel();
  }
}
