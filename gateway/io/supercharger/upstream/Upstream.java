package io.supercharger.upstream;

import io.vertx.core.Future;

/**
 * Forwards one exchange to the instance it was granted and streams the answer back. Exactly one of
 * {@link Exchange#upstreamFailed} (nothing sent to the client yet) or {@link Exchange#finish} ends
 * the attempt. One implementation per protocol and event loop.
 */
public interface Upstream {
  /**
   * Work that must happen before an instance is taken, once per exchange (e.g. FastCGI reads a
   * chunked body whole, so a slow upload never holds an FPM child). Fails with the status to answer
   * in an {@link UpstreamRefusal}.
   */
  default Future<Void> prepare(Exchange exchange) {
    return Future.succeededFuture();
  }

  void forward(Exchange exchange);
}
