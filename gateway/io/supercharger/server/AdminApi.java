package io.supercharger.server;

import io.supercharger.canary.CanaryRuntime;
import io.supercharger.lifecycle.PoolLifecycle;
import io.supercharger.telemetry.FlightRecorder;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin API under the admin path. Mutations are POST only; parameters come from the query
 * string or a JSON body. Callers are already authorized by the reserved-endpoint guard.
 */
final class AdminApi {
  private static final int MAX_BODY = 16 * 1024;

  private final Map<String, Pool> pools;
  private final Function<String, PoolLifecycle> lifecycles;
  private final CanaryRuntime canary;
  private final FlightRecorder recorder;

  AdminApi(
      Map<String, Pool> pools,
      Function<String, PoolLifecycle> lifecycles,
      CanaryRuntime canary,
      FlightRecorder recorder) {
    this.pools = pools;
    this.lifecycles = lifecycles;
    this.canary = canary;
    this.recorder = recorder;
  }

  /**
   * @param action the path below the admin prefix, e.g. "recycle" or "canary/promote"
   */
  void handle(HttpServerRequest request, String action) {
    if ("canary".equals(action) && request.method() == HttpMethod.GET) {
      if (canary == null) {
        reply(request, 404, new JsonObject().put("error", "no canary is configured"));
      } else {
        reply(request, 200, canary.status());
      }
      return;
    }
    boolean known =
        action.equals("recycle")
            || action.equals("snapshot")
            || CanaryAdmin.ACTIONS.contains(action);
    if (!known) {
      reply(request, 404, new JsonObject().put("error", "no such admin endpoint"));
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request.response().putHeader("allow", "POST");
      reply(request, 405, new JsonObject().put("error", "use POST"));
      return;
    }
    request
        .body()
        .onComplete(
            ar -> {
              JsonObject params = new JsonObject();
              request.params().forEach(p -> params.put(p.getKey(), p.getValue()));
              if (ar.succeeded() && ar.result().length() > 0) {
                if (ar.result().length() > MAX_BODY) {
                  reply(request, 413, new JsonObject().put("error", "body too large"));
                  return;
                }
                try {
                  params.mergeIn(ar.result().toJsonObject());
                } catch (RuntimeException e) {
                  reply(request, 400, new JsonObject().put("error", "body is not a JSON object"));
                  return;
                }
              }
              if (action.equals("recycle")) {
                recycle(request, params);
              } else if (action.equals("snapshot")) {
                snapshot(request);
              } else {
                CanaryAdmin.handle(
                    canary, action, params, (status, body) -> reply(request, status, body));
              }
            });
  }

  private void snapshot(HttpServerRequest request) {
    if (recorder == null) {
      reply(request, 409, new JsonObject().put("error", "the flight recorder is disabled"));
      return;
    }
    var file = recorder.snapshot("manual", null);
    reply(
        request,
        file == null ? 500 : 201,
        new JsonObject().put("file", file == null ? null : file.toString()));
  }

  private void recycle(HttpServerRequest request, JsonObject params) {
    String poolName = params.getString("pool");
    Pool pool = poolName == null ? null : pools.get(poolName);
    if (pool == null) {
      reply(
          request,
          poolName == null ? 400 : 404,
          new JsonObject()
              .put("error", poolName == null ? "pool is required" : "no pool " + poolName));
      return;
    }
    PoolLifecycle lifecycle = lifecycles.apply(poolName);
    if (lifecycle == null) {
      reply(
          request,
          409,
          new JsonObject().put("error", "lifecycle is not active for pool " + poolName));
      return;
    }
    RecycleReason reason = RecycleReason.fromLabel(params.getString("reason", "manual"));
    if (reason == null || reason == RecycleReason.SELF_SIGNALLED) {
      reply(
          request,
          400,
          new JsonObject()
              .put("error", "reason must be one of manual, max_request, max_memory, max_uptime"));
      return;
    }
    List<Instance> targets = new ArrayList<>();
    String wanted = params.getString("instance");
    for (Instance i : pool.instances()) {
      if (wanted == null || wanted.equals(i.address().toString())) {
        targets.add(i);
      }
    }
    if (targets.isEmpty()) {
      reply(
          request,
          404,
          new JsonObject().put("error", "no instance " + wanted + " in pool " + poolName));
      return;
    }
    JsonArray scheduled = new JsonArray();
    for (Instance i : targets) {
      if (lifecycle.requestRecycle(i, reason)) {
        scheduled.add(i.address().toString());
      }
    }
    reply(
        request,
        scheduled.isEmpty() ? 409 : 202,
        new JsonObject()
            .put("pool", poolName)
            .put("reason", reason.label())
            .put("scheduled", scheduled));
  }

  static void reply(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode() + "\n");
  }
}
