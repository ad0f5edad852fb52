package io.supercharger.upstream;

/**
 * A failure of one upstream attempt. {@code requestMayHaveRun} is false only when the upstream
 * provably never saw the request, which is what makes a retry of a non-idempotent request safe.
 */
public final class UpstreamException extends RuntimeException {
  private final FailureKind kind;
  private final boolean requestMayHaveRun;

  public UpstreamException(
      FailureKind kind, boolean requestMayHaveRun, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.requestMayHaveRun = requestMayHaveRun;
  }

  public FailureKind kind() {
    return kind;
  }

  public boolean requestMayHaveRun() {
    return requestMayHaveRun;
  }
}
