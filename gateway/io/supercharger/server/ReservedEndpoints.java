package io.supercharger.server;

import io.supercharger.config.Endpoints;
import io.supercharger.security.EndpointGuard;
import io.supercharger.telemetry.GatewayMetrics;
import io.supercharger.telemetry.StatusReport;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The gateway's own paths. Only the configured paths are reserved, so an application's routes are
 * never hijacked; a path that normalizes to one of them is treated as it (and guarded the same).
 */
final class ReservedEndpoints {
  private final Endpoints paths;
  private final EndpointGuard guard;
  private final EndpointGuard tokenGuard;
  private final AdminApi admin;
  private final GatewayMetrics metrics;
  private final StatusReport status;
  private final BooleanSupplier ready;

  ReservedEndpoints(
      Endpoints paths,
      EndpointGuard guard,
      EndpointGuard tokenGuard,
      GatewayMetrics metrics,
      StatusReport status,
      AdminApi admin,
      BooleanSupplier ready) {
    this.paths = paths;
    this.guard = guard;
    this.tokenGuard = tokenGuard;
    this.admin = admin;
    this.metrics = metrics;
    this.status = status;
    this.ready = ready;
  }

  boolean isReserved(String path) {
    return path.equals(paths.status())
        || path.equals(paths.metrics())
        || path.equals(paths.health())
        || path.equals(paths.ready())
        || isAdmin(path);
  }

  private boolean isAdmin(String path) {
    return path.startsWith(paths.admin())
        && (path.length() == paths.admin().length() || path.charAt(paths.admin().length()) == '/');
  }

  void handle(HttpServerRequest request, String path, String clientIp) {
    if (path.equals(paths.health())) {
      text(request, 200, "ok\n");
    } else if (path.equals(paths.ready())) {
      boolean up = ready.getAsBoolean();
      text(request, up ? 200 : 503, up ? "ready\n" : "not ready\n");
    } else if (path.equals(paths.status())) {
      if (allowed(request, "status", clientIp)) {
        request
            .response()
            .putHeader("content-type", "application/json")
            .putHeader("cache-control", "no-store")
            .end(status.render().encodePrettily() + "\n");
      }
    } else if (path.equals(paths.metrics())) {
      if (allowed(request, "metrics", clientIp)) {
        request
            .response()
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .putHeader("cache-control", "no-store")
            .end(metrics.scrape());
      }
    } else if (allowed(request, "admin", clientIp)
        && (request.method() != HttpMethod.POST || tokenPresented(request, clientIp))) {
      String action =
          path.length() > paths.admin().length() ? path.substring(paths.admin().length() + 1) : "";
      admin.handle(request, action);
    }
  }

  /** A denial says nothing about why; the reason goes only to the metric. */
  private boolean allowed(HttpServerRequest request, String endpoint, String clientIp) {
    EndpointGuard.Verdict verdict = guard.check(clientIp, request::getHeader);
    if (verdict.allowed()) {
      return true;
    }
    metrics.denied(endpoint, verdict.reason());
    text(request, 403, "forbidden\n");
    return false;
  }

  /** Mutations need the token even from an allowlisted address. */
  private boolean tokenPresented(HttpServerRequest request, String clientIp) {
    EndpointGuard.Verdict verdict = tokenGuard.check(clientIp, request::getHeader);
    if (verdict.allowed()) {
      return true;
    }
    metrics.denied("admin", verdict.reason());
    text(request, 403, "forbidden\n");
    return false;
  }

  static void text(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(body);
  }
}
