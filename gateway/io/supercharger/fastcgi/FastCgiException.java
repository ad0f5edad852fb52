package io.supercharger.fastcgi;

import io.vertx.core.VertxException;

/**
 * A failed FastCGI exchange. The glue maps {@link #kind()} to a status in its one failure mapper
 * (CONNECT, RESET, PROTOCOL → 502; TIMEOUT → 504; SATURATED → 503; CANCELLED → 499, logged only).
 */
public final class FastCgiException extends VertxException {

  public enum Kind {
    /** The connection was refused or failed before it was established. */
    CONNECT,
    /** Connect timeout, or no response header block within the response timeout. */
    TIMEOUT,
    /** The connection closed or failed before END_REQUEST. */
    RESET,
    /** FPM sent something that is not valid FastCGI or CGI. */
    PROTOCOL,
    /** No connection slot for this instance within the bounded wait, or the wait queue was full. */
    SATURATED,
    /** The caller gave up ({@code cancel()}), or the request body it supplied failed. */
    CANCELLED
  }

  private final Kind kind;
  private final boolean requestMayHaveRun;

  public FastCgiException(Kind kind, String message, boolean requestMayHaveRun) {
    this(kind, message, requestMayHaveRun, null);
  }

  public FastCgiException(Kind kind, String message, boolean requestMayHaveRun, Throwable cause) {
    super(message, cause, true);
    this.kind = kind;
    this.requestMayHaveRun = requestMayHaveRun;
  }

  public Kind kind() {
    return kind;
  }

  /** False only when no byte of the request was written to FPM, so another instance may take it. */
  public boolean requestMayHaveRun() {
    return requestMayHaveRun;
  }

  FastCgiException withMayHaveRun(boolean mayHaveRun) {
    return mayHaveRun == requestMayHaveRun
        ? this
        : new FastCgiException(kind, getMessage(), mayHaveRun, getCause());
  }
}
