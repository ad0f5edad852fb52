package io.supercharger.server;

import io.supercharger.security.ClientAddressResolver;
import io.supercharger.upstream.HopByHop;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Builds the headers sent upstream: the client's end-to-end headers, with the forwarding headers
 * set by the gateway itself. A client's own X-Forwarded-*, Forwarded, X-Real-IP and X-Request-Id
 * are believed only when the TCP peer is a trusted proxy; otherwise they are replaced, so an
 * application can trust what it reads.
 */
final class ForwardedHeaders {
  static final String X_FORWARDED_FOR = "X-Forwarded-For";
  static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
  static final String X_FORWARDED_HOST = "X-Forwarded-Host";
  static final String X_REQUEST_ID = "X-Request-Id";

  private final ClientAddressResolver resolver;

  ForwardedHeaders(ClientAddressResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * @return the headers for the upstream; {@code requestId} is the id to log and send
   */
  MultiMap build(HttpServerRequest request, String peerIp, String requestId, boolean https) {
    MultiMap in = request.headers();
    MultiMap out = HttpHeaders.headers();
    HopByHop.copyEndToEnd(in, out);
    // Answered by the gateway (100 Continue), not forwarded.
    out.remove(HttpHeaders.EXPECT);
    // httpoxy: worker engines also turn headers into HTTP_* server variables, so Proxy never
    // passes.
    out.remove("Proxy");
    boolean trusted = resolver.trusts(peerIp);
    java.util.List<String> priorFor = in.getAll(X_FORWARDED_FOR);
    if (trusted && !priorFor.isEmpty()) {
      out.set(X_FORWARDED_FOR, String.join(", ", priorFor) + ", " + peerIp);
    } else {
      out.set(X_FORWARDED_FOR, peerIp);
      out.remove("Forwarded");
      out.remove("X-Real-IP");
    }
    if (!trusted || !out.contains(X_FORWARDED_PROTO)) {
      out.set(X_FORWARDED_PROTO, https ? "https" : "http");
    }
    if (!trusted || !out.contains(X_FORWARDED_HOST)) {
      String host =
          request.authority() != null ? request.authority().toString() : in.get(HttpHeaders.HOST);
      if (host != null) {
        out.set(X_FORWARDED_HOST, host);
      } else {
        out.remove(X_FORWARDED_HOST);
      }
    }
    out.set(X_REQUEST_ID, requestId);
    return out;
  }

  /** A request id from a trusted proxy is kept when it looks like one; otherwise a new one. */
  String requestId(HttpServerRequest request, String peerIp) {
    String given = request.getHeader(X_REQUEST_ID);
    if (given != null && isSaneId(given) && resolver.trusts(peerIp)) {
      return given;
    }
    return RequestIds.next();
  }

  private static boolean isSaneId(String id) {
    if (id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
