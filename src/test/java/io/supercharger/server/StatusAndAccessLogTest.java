package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import io.supercharger.testing.PhpStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /status follows the documented schema; the access log is JSON per request and never holds the
 * token.
 */
class StatusAndAccessLogTest {
  static final String TOKEN = "very-secret-token-123";

  @Test
  void statusSchemaAndAccessLogLines(@TempDir Path dir) throws Exception {
    try (PhpStack php = PhpStack.start(1, 1, 0)) {
      Path log = dir.resolve("access.log");
      GatewayConfig config =
          ConfigLoader.parse(
              """
          listen: {host: 127.0.0.1, port: 0}
          security: {mode: token}
          access_log: {enabled: true, path: "%s"}
          pools:
            worker: {engine: php-worker, instances: %s}
            fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 1}}
          split: {weights: {worker: 50, fpm: 50}}
          routes:
            - {name: categories, path: /api/categories, class: read}
          """
                  .formatted(log, php.workerInstances(), php.fpm.address(), php.fpm.documentRoot()),
              "test.yaml",
              dir,
              Map.of("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN));
      Gateway gateway = Gateway.start(config, new Gateway.Options(Clock.systemUTC(), 1));
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + gateway.port();
        awaitReady(gateway);
        for (String pool : List.of("worker", "fpm")) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/categories?x=1"))
                      .header("X-Supercharger-Pool", pool)
                      .header("X-Runtime-Token", TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
        }
        JsonObject status =
            new JsonObject(
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/status"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        assertNotNull(status.getJsonObject("build").getString("version"));
        assertNotNull(status.getJsonObject("java").getString("version"));
        assertTrue(status.getDouble("uptime_seconds") >= 0);
        JsonObject worker = status.getJsonObject("pools").getJsonObject("worker");
        assertEquals("php-worker", worker.getString("engine"));
        assertEquals("http", worker.getString("protocol"));
        assertEquals(50, worker.getInteger("weight"));
        JsonObject instance = worker.getJsonArray("instances").getJsonObject(0);
        assertEquals("READY", instance.getString("state"));
        assertEquals(1L, instance.getLong("requests_total"));
        assertTrue(instance.containsKey("memory_bytes") && instance.containsKey("recycles"));
        assertEquals(
            "fastcgi", status.getJsonObject("pools").getJsonObject("fpm").getString("protocol"));

        List<JsonObject> lines = awaitLines(log, 2);
        JsonObject first = lines.get(0);
        assertEquals("access", first.getString("type"));
        assertEquals("categories", first.getString("route"));
        assertEquals(200, first.getInteger("status"));
        assertEquals("/api/categories", first.getString("path"), "no query string in the log");
        assertTrue(first.getString("request_id").matches("[0-9a-f]{32}"));
        assertTrue(first.getString("instance").startsWith("127.0.0.1:"));
        assertFalse(Files.readString(log).contains(TOKEN), "the token never reaches the log");
      } finally {
        gateway.stop(Duration.ofMillis(200));
      }
    }
  }

  private static void awaitReady(Gateway gateway) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!gateway.pools().stream()
        .flatMap(p -> p.instances().stream())
        .allMatch(i -> i.state() == io.supercharger.upstream.InstanceState.READY)) {
      assertTrue(System.nanoTime() < deadline);
      LockSupport.parkNanos(10_000_000);
    }
  }

  private static List<JsonObject> awaitLines(Path log, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      if (lines.size() >= count) {
        return lines.stream().map(JsonObject::new).toList();
      }
      assertTrue(System.nanoTime() < deadline, "access log has " + lines.size() + " lines");
      LockSupport.parkNanos(20_000_000);
    }
  }
}
