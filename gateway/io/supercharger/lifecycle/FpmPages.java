package io.supercharger.lifecycle;

import io.supercharger.fastcgi.CgiParams;
import io.supercharger.fastcgi.FastCgiCall;
import io.supercharger.fastcgi.FastCgiClient;
import io.supercharger.fastcgi.FastCgiClientOptions;
import io.supercharger.fastcgi.FcgiInstanceLimit;
import io.supercharger.upstream.Instance;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * FastCGI GETs of the pages FPM serves itself: pm.status_path and ping.path. FPM answers them
 * before running any script, when the request's SCRIPT_NAME equals the configured path (php-src
 * sapi/fpm/fpm/fpm_status.c compares the path to SG(request_info).request_uri, which fpm_main.c
 * takes from SCRIPT_NAME); the query ({@code json}, {@code full}) is read from QUERY_STRING. So
 * SCRIPT_NAME and SCRIPT_FILENAME are the page's path, the way cgi-fcgi health checks send them,
 * and no PATH_INFO is sent.
 *
 * <p>The client lives on its own event-loop context: probes and stats polls arrive from timers on
 * any loop, and a {@link FastCgiClient} must be used from the loop that created it. Connections are
 * not kept alive, so these checks never pin an FPM child between polls.
 */
final class FpmPages {
  /** What FPM answered: the CGI status and the whole (small) body. */
  record Page(int status, String body) {}

  private final Vertx vertx;
  private final ContextInternal context;
  private final Function<Instance, FcgiInstanceLimit> limits;
  private final Map<Instance, FcgiInstanceLimit> ownLimits = new IdentityHashMap<>();
  private final FastCgiClientOptions options;
  private FastCgiClient client;

  /**
   * @param limits the connection cap per instance; pass the pool's shared caps so a check waits for
   *     a free FPM child instead of queueing in FPM's backlog; null for a private cap of one
   */
  FpmPages(Vertx vertx, long timeoutMs, Function<Instance, FcgiInstanceLimit> limits) {
    this.vertx = vertx;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.limits = limits;
    this.options =
        FastCgiClientOptions.defaults()
            .withKeepAlive(false)
            .withTimeouts(timeoutMs, timeoutMs)
            .withMaxWaitMs(timeoutMs);
  }

  /** GET {@code path?query} from the instance; the whole exchange is bounded by the timeout. */
  Future<Page> get(Instance instance, String path, String query) {
    Promise<Page> result = Promise.promise();
    context.runOnContext(v -> send(instance, path, query, result));
    return result.future();
  }

  private void send(Instance instance, String path, String query, Promise<Page> result) {
    if (client == null) {
      client = new FastCgiClient(vertx, options);
    }
    String uri = query.isEmpty() ? path : path + "?" + query;
    CgiParams params =
        CgiParams.builder("/", "index.php")
            .request("GET", uri, MultiMap.caseInsensitiveMultiMap())
            .remote("127.0.0.1", 0)
            .param("SCRIPT_NAME", path)
            .param("SCRIPT_FILENAME", path)
            .param("PATH_INFO", "")
            .build();
    FastCgiCall call =
        client.send(instance.socketAddress(), limit(instance), params, null, 0, true, null);
    long timer =
        vertx.setTimer(
            options.responseTimeoutMs() + options.connectTimeoutMs(),
            t -> {
              if (result.tryFail(
                  "no answer from " + instance + " for " + path + " within the timeout")) {
                call.cancel();
              }
            });
    call.response()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                vertx.cancelTimer(timer);
                result.tryFail(ar.cause());
                return;
              }
              Buffer body = Buffer.buffer();
              ar.result()
                  .body()
                  .exceptionHandler(
                      e -> {
                        vertx.cancelTimer(timer);
                        result.tryFail(e);
                      });
              ar.result().body().handler(body::appendBuffer);
              ar.result()
                  .body()
                  .endHandler(
                      e -> {
                        vertx.cancelTimer(timer);
                        result.tryComplete(new Page(ar.result().status(), body.toString()));
                      });
            });
  }

  private FcgiInstanceLimit limit(Instance instance) {
    FcgiInstanceLimit shared = limits == null ? null : limits.apply(instance);
    return shared != null
        ? shared
        : ownLimits.computeIfAbsent(instance, i -> new FcgiInstanceLimit(1, 4));
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> (client == null ? Future.<Void>succeededFuture() : client.close()).onComplete(done));
    return done.future();
  }
}
