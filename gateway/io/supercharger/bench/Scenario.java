package io.supercharger.bench;

import java.util.List;
import java.util.Map;

/**
 * A weighted mix of requests, loaded by {@link ScenarioLoader}.
 *
 * @param name used in the report folder's name
 * @param requests at least one
 */
public record Scenario(String name, List<Request> requests) {
  public Scenario {
    requests = List.copyOf(requests);
  }

  /** Route name to class ("read" or "write"), in first-seen order. */
  public Map<String, String> routeClasses() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    requests.forEach(r -> out.putIfAbsent(r.route(), r.requestClass()));
    return out;
  }

  /**
   * One request of the mix.
   *
   * @param route the label it is reported under: the file's {@code route}, else the gateway's route
   *     name, else "METHOD /path"
   * @param requestClass "read" or "write": the file's {@code class}, else the route table's, else
   *     by method
   * @param path path and query, as sent
   * @param body {@code body_bytes} bytes of JSON padding (empty when 0)
   */
  public record Request(
      int weight,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      String route,
      String requestClass) {
    public Request {
      headers = Map.copyOf(headers);
    }
  }
}
