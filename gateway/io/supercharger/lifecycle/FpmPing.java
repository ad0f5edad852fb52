package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * The readiness check of an fpm pool: a FastCGI GET of FPM's ping.path, which must answer 200 with
 * the body ping.response (php-src fpm_status.c; the project's pool template sets "pong"). A refused
 * connection, a timeout, a 404 from a wrong path or another body all fail the check.
 */
final class FpmPing implements Function<Instance, Future<Void>> {
  static final String PONG = "pong";

  private final FpmPages pages;
  private final String path;

  FpmPing(FpmPages pages, String path) {
    this.pages = pages;
    this.path = path;
  }

  @Override
  public Future<Void> apply(Instance instance) {
    return pages
        .get(instance, path, "")
        .compose(
            page ->
                page.status() == 200 && page.body().strip().equals(PONG)
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        "FPM ping "
                            + path
                            + " answered "
                            + page.status()
                            + " \""
                            + abbreviate(page.body())
                            + "\""));
  }

  private static String abbreviate(String body) {
    String s = body.strip();
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
