package io.supercharger.demo;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The demo's weighted mix of read and write requests, along the runbook's read and write paths. */
final class TrafficMix {
  /**
   * One kind of request. {@code maxId}: ids are drawn from 1..maxId, the rows the app seeds (20
   * categories, 1000 orders). {@code bodyBytes}: writes send a JSON body of about that size.
   */
  record Request(
      String route, HttpMethod method, String path, int maxId, int bodyBytes, int weight) {
    String concretePath(ThreadLocalRandom random) {
      return maxId == 0 ? path : path.replace("{id}", Integer.toString(1 + random.nextInt(maxId)));
    }

    /** A JSON body the app accepts (messages need a "text"), padded to about {@code bodyBytes}. */
    String body(ThreadLocalRandom random) {
      String padding = "x".repeat(Math.max(0, bodyBytes - 40));
      return path.startsWith("/api/messages")
          ? "{\"text\":\"" + padding + "\"}"
          : "{\"total_cents\":" + random.nextInt(100_000) + ",\"note\":\"" + padding + "\"}";
    }
  }

  static final List<Request> DEFAULT =
      List.of(
          new Request("categories", HttpMethod.GET, "/api/categories", 0, 0, 30),
          new Request("categories", HttpMethod.GET, "/api/categories/{id}", 20, 0, 15),
          new Request("messages_read", HttpMethod.GET, "/api/messages", 0, 0, 15),
          new Request("orders_read", HttpMethod.GET, "/api/orders/{id}", 1000, 0, 15),
          new Request("messages_write", HttpMethod.POST, "/api/messages", 0, 256, 10),
          new Request("orders_write", HttpMethod.POST, "/api/orders", 0, 512, 15));

  private final List<Request> requests;
  private final int totalWeight;

  TrafficMix(List<Request> requests) {
    this.requests = requests;
    this.totalWeight = requests.stream().mapToInt(Request::weight).sum();
  }

  Request next(ThreadLocalRandom random) {
    int pick = random.nextInt(totalWeight);
    for (Request r : requests) {
      pick -= r.weight();
      if (pick < 0) {
        return r;
      }
    }
    return requests.get(requests.size() - 1);
  }

  List<String> routes() {
    return requests.stream().map(Request::route).distinct().toList();
  }
}
