package io.supercharger.upstream;

/**
 * Forwards one exchange to the instance it was granted and streams the answer back. Exactly one of
 * {@link Exchange#upstreamFailed} (nothing sent to the client yet) or {@link Exchange#finish} ends
 * the attempt. One implementation per protocol and event loop.
 */
public interface Upstream {
  void forward(Exchange exchange);
}
