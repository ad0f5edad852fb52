package io.supercharger.upstream;

/**
 * The gateway refuses the client's request before any upstream saw it: answer {@link #status()}.
 */
public final class UpstreamRefusal extends RuntimeException {
  private final int status;

  public UpstreamRefusal(int status) {
    super("refused with " + status, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
