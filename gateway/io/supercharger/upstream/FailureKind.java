package io.supercharger.upstream;

/**
 * Why a request could not be served by its upstream. {@link #status()} is the one place that maps a
 * failure to the status the client sees (Caddy's statusError, Armeria's typed exceptions).
 */
public enum FailureKind {
  /** Connection refused or dropped before the request was sent: nothing ran upstream. */
  CONNECT("connect", 502),
  /** Connect or response-header timeout. */
  TIMEOUT("timeout", 504),
  /** The upstream reset or closed the connection after the request was (maybe) sent. */
  RESET("reset", 502),
  /** The upstream answered something that is not valid HTTP or FastCGI. */
  PROTOCOL("protocol", 502),
  /** No instance could take the request: none READY, or the bounded wait ran out. */
  UNAVAILABLE("unavailable", 503);

  private final String label;
  private final int status;

  FailureKind(String label, int status) {
    this.label = label;
    this.status = status;
  }

  /** The metric label of gateway_upstream_errors_total{kind}. */
  public String label() {
    return label;
  }

  public int status() {
    return status;
  }

  /** Errors that count against the upstream (UNAVAILABLE is the gateway's own answer). */
  public boolean isUpstreamError() {
    return this != UNAVAILABLE;
  }
}
