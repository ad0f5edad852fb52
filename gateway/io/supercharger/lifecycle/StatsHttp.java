package io.supercharger.lifecycle;

import io.supercharger.upstream.Instance;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** GET of an engine's stats URL over HTTP: a path on the instance itself, or an absolute URL. */
final class StatsHttp {
  private StatsHttp() {}

  /**
   * @param url a path (sent to the instance's own address) or an http:// URL; {host}, {port} and
   *     {instance} are filled in
   * @return the body of a 200 answer; any other status fails
   */
  static Future<Buffer> get(HttpClient http, String url, Instance instance, int timeoutMs) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setTimeout(timeoutMs)
            .setConnectTimeout(timeoutMs);
    String target = RecycleAction.fill(url, instance);
    if (target.startsWith("/")) {
      options.setServer(instance.socketAddress()).setURI(target);
    } else {
      options.setAbsoluteURI(target);
    }
    return http.request(options)
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .compose(
                        body ->
                            resp.statusCode() == 200
                                ? Future.succeededFuture(body)
                                : Future.failedFuture(target + " answered " + resp.statusCode())));
  }
}
