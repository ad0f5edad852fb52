package io.supercharger.demo;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The demo's weighted mix of read and write requests, along the runbook's read and write paths. */
final class TrafficMix {
  record Request(String route, HttpMethod method, String path, int bodyBytes, int weight) {
    String concretePath(ThreadLocalRandom random) {
      return path.replace("{id}", Integer.toString(1 + random.nextInt(1000)));
    }
  }

  static final List<Request> DEFAULT = List.of(
      new Request("categories", HttpMethod.GET, "/api/categories", 0, 30),
      new Request("categories", HttpMethod.GET, "/api/categories/{id}", 0, 15),
      new Request("messages_read", HttpMethod.GET, "/api/messages", 0, 15),
      new Request("orders_read", HttpMethod.GET, "/api/orders/{id}", 0, 15),
      new Request("messages_write", HttpMethod.POST, "/api/messages", 256, 10),
      new Request("orders_write", HttpMethod.POST, "/api/orders", 512, 15));

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
