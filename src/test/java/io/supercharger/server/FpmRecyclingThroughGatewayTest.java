package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FPM renews its children after pm.max_requests; with keep-alive on, that closes pooled connections
 * under the gateway. Clients must never see it, and the gateway must never open more connections
 * than max_children.
 */
class FpmRecyclingThroughGatewayTest {

  @ParameterizedTest(name = "keep_alive {0}: 4 × max_children concurrent POSTs, pm.max_requests=5")
  @ValueSource(booleans = {false, true})
  void concurrentPostsAgainstRecyclingFpmLoseNothing(boolean keepAlive) throws Exception {
    try (PhpStack php = PhpStack.start(0, 2, 5);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            pools:
              fpm:
                engine: fpm
                instances: ["%s"]
                fastcgi: {document_root: "%s", max_children: 2, keep_alive: %s}
                queue_timeout_ms: 10000
            """
                    .formatted(php.fpm.address(), php.fpm.documentRoot(), keepAlive))) {
      for (int round = 0; round < 5; round++) {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          byte[] body = ("{\"order\":" + round + i + "}").getBytes(StandardCharsets.UTF_8);
          inFlight.add(
              gw.http.sendAsync(
                  HttpRequest.newBuilder(gw.uri("/echo/orders"))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
          HttpResponse<String> r = f.get();
          assertEquals(2, r.statusCode() / 100, r.body());
          assertTrue(new JsonObject(r.body()).getInteger("body_length") > 0);
        }
      }
      String metrics = gw.get("/metrics").body();
      assertTrue(
          metrics.contains(
              "gateway_request_duration_seconds_count{class=\"read\",pool=\"fpm\",route=\"default\",status=\"2xx\"} 40"),
          metrics);
      assertEquals(0, gw.gateway.pools().get(0).instances().get(0).inFlight());
    }
  }
}
