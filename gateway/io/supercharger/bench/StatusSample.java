package io.supercharger.bench;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One read of /status: per pool, its instances. {@code error} is set (and pools empty) when the
 * read failed; a soak keeps going and the report shows the gap.
 *
 * @param t seconds since the start of the run
 */
public record StatusSample(double t, Map<String, List<Instance>> pools, String error) {

  /**
   * @param memoryBytes null where the engine reports none
   */
  public record Instance(
      String address,
      String state,
      Long memoryBytes,
      Long requestsTotal,
      String readySince,
      Map<String, Long> recycles) {
    public long recycleTotal() {
      return recycles.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public static StatusSample failed(double t, String error) {
    return new StatusSample(t, Map.of(), error);
  }

  /**
   * Reads the fields of ARCHITECTURE.md's /status schema that a soak needs; unknown fields are
   * ignored.
   */
  public static StatusSample parse(double t, JsonObject status) {
    Map<String, List<Instance>> pools = new LinkedHashMap<>();
    JsonObject p = status.getJsonObject("pools", new JsonObject());
    for (String pool : p.fieldNames()) {
      var instances = p.getJsonObject(pool).getJsonArray("instances");
      pools.put(
          pool,
          instances == null
              ? List.of()
              : instances.stream().map(o -> (JsonObject) o).map(StatusSample::instance).toList());
    }
    return new StatusSample(t, pools, null);
  }

  private static Instance instance(JsonObject i) {
    Map<String, Long> recycles = new LinkedHashMap<>();
    JsonObject r = i.getValue("recycles") instanceof JsonObject o ? o : new JsonObject();
    r.forEach(e -> recycles.put(e.getKey(), e.getValue() instanceof Number n ? n.longValue() : 0L));
    return new Instance(
        i.getString("address"),
        i.getString("state"),
        longOrNull(i.getValue("memory_bytes")),
        longOrNull(i.getValue("requests_total")),
        i.getValue("ready_since") == null ? null : i.getValue("ready_since").toString(),
        recycles);
  }

  private static Long longOrNull(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }
}
