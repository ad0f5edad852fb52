package io.supercharger.server;

import io.supercharger.canary.CanaryController;
import io.supercharger.canary.CanaryRuntime;
import io.supercharger.canary.CanaryState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;

/** POST /admin/canary/{promote,pause,resume,rollback,weight}; dry_run=1 answers without acting. */
final class CanaryAdmin {
  static final List<String> ACTIONS =
      List.of(
          "canary/promote", "canary/pause", "canary/resume", "canary/rollback", "canary/weight");

  private CanaryAdmin() {}

  static void handle(
      CanaryRuntime canary,
      String action,
      JsonObject params,
      BiConsumer<Integer, JsonObject> reply) {
    if (canary == null) {
      reply.accept(404, new JsonObject().put("error", "no canary is configured"));
      return;
    }
    boolean dryRun = isTrue(params.getValue("dry_run"));
    CanaryController c = canary.controller();
    CanaryState before = c.state();
    CanaryState after;
    switch (action) {
      case "canary/promote" -> after = c.promote(dryRun);
      case "canary/pause" -> after = c.pause(dryRun);
      case "canary/resume" -> after = c.resume(dryRun);
      case "canary/rollback" -> after = c.rollback(dryRun);
      default -> {
        Integer weight = weight(params.getValue("value"));
        if (weight == null) {
          reply.accept(
              400, new JsonObject().put("error", "value must be a whole number from 0 to 100"));
          return;
        }
        after = c.weight(weight, dryRun);
      }
    }
    reply.accept(
        200,
        new JsonObject()
            .put("dry_run", dryRun)
            .put("action", action.substring("canary/".length()))
            .put("before", describe(before))
            .put("after", describe(after)));
  }

  private static JsonObject describe(CanaryState s) {
    return new JsonObject()
        .put("step", s.step())
        .put("weight", s.weight())
        .put("state", s.status().label());
  }

  private static boolean isTrue(Object v) {
    return v != null
        && ("1".equals(String.valueOf(v)) || "true".equalsIgnoreCase(String.valueOf(v)));
  }

  private static Integer weight(Object v) {
    try {
      int n = v instanceof Number num ? num.intValue() : Integer.parseInt(String.valueOf(v));
      return n >= 0 && n <= 100 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
