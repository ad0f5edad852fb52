package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * /status and /metrics through a real gateway in every guard mode. The test client is 127.0.0.1:
 * "inside" means an allowlist of 127.0.0.1/32, "outside" one of 10.0.0.0/8.
 */
class EndpointGuardThroughGatewayTest {
  static final String TOKEN = "s3cret-token-for-tests";

  @ParameterizedTest(name = "{0}, client {1}, token {2} → {3}")
  @CsvSource({
    "off,                 outside, none,   200",
    "allowlist,           inside,  none,   200",
    "allowlist,           outside, right,  403",
    "token,               inside,  none,   403",
    "token,               inside,  wrong,  403",
    "token,               outside, right,  200",
    "token,               outside, bearer, 200",
    "allowlist_or_token,  inside,  none,   200",
    "allowlist_or_token,  outside, none,   403",
    "allowlist_or_token,  outside, wrong,  403",
    "allowlist_or_token,  outside, right,  200",
    "allowlist_and_token, inside,  none,   403",
    "allowlist_and_token, inside,  right,  200",
    "allowlist_and_token, outside, right,  403",
  })
  void guardDecidesPerMode(String mode, String client, String token, int expected)
      throws Exception {
    try (TestGateway gw = gateway(mode, client.equals("inside") ? "127.0.0.1/32" : "10.0.0.0/8")) {
      for (String path : List.of("/status", "/metrics")) {
        HttpResponse<String> r = gw.get(path, headers(token));
        assertEquals(expected, r.statusCode(), mode + " " + path);
        if (expected == 403) {
          assertEquals("forbidden\n", r.body(), "a denial says nothing about why");
        }
      }
    }
  }

  @Test
  void denialsAreCountedAndMetricsHaveTheSloBuckets() throws Exception {
    try (TestGateway gw = gateway("allowlist_or_token", "10.0.0.0/8")) {
      gw.get("/metrics");
      gw.get("/status", "X-Runtime-Token", "wrong");
      assertEquals(502, gw.get("/api/anything").statusCode(), "its upstream is gone");
      String metrics = gw.get("/metrics", "X-Runtime-Token", TOKEN).body();
      assertTrue(
          metrics.contains(
              "gateway_endpoint_denied_total{endpoint=\"metrics\",reason=\"not_allowlisted\"} 1.0"),
          metrics);
      assertTrue(
          metrics.contains(
              "gateway_endpoint_denied_total{endpoint=\"status\",reason=\"bad_token\"} 1.0"));
      assertTrue(metrics.contains("le=\"0.25\""));
      assertTrue(metrics.contains("le=\"0.7\""));
      assertTrue(metrics.contains("gateway_pool_weight{pool=\"app\"} 100"));
      assertTrue(metrics.contains("jvm_memory_used_bytes"));
      assertTrue(metrics.contains("gateway_access_log_dropped_total 0"), "drops are visible");
      assertTrue(metrics.contains("gateway_pool_circuit_open{pool=\"app\"}"));
      assertFalse(metrics.contains(TOKEN));
    }
  }

  @ParameterizedTest(name = "{0} is guarded like /status")
  @CsvSource({"/./status", "//status", "/x/../status", "/%73tatus"})
  void pathsThatNormalizeToAReservedPathAreGuarded(String path) throws Exception {
    try (TestGateway gw = gateway("token", "10.0.0.0/8");
        RawHttp raw = RawHttp.connect("127.0.0.1", gw.port())) {
      raw.send(RawHttp.request("GET", path, Map.of("Host", "x")));
      assertEquals(403, raw.read().status());
    }
  }

  @Test
  void healthAndReadyNeedNoToken() throws Exception {
    try (TestGateway gw = gateway("token", "10.0.0.0/8")) {
      assertEquals(200, gw.get("/healthz").statusCode());
      assertEquals(200, gw.get("/ready").statusCode());
    }
  }

  @Test
  void aRotatedTokenFileTakesEffectWithoutRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first-token\n");
    try (ServerSocket upstream = new ServerSocket(0);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: token, token_file: "%s"}
            pools: {app: {engine: roadrunner, instances: ["127.0.0.1:%d"]}}
            """
                    .formatted(file, upstream.getLocalPort()))) {
      assertEquals(200, gw.get("/status", "X-Runtime-Token", "first-token").statusCode());
      Files.writeString(file, "second-token\n");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (gw.get("/status", "X-Runtime-Token", "second-token").statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "the new token was never accepted");
        LockSupport.parkNanos(50_000_000);
      }
      assertEquals(403, gw.get("/status", "X-Runtime-Token", "first-token").statusCode());
    }
  }

  private static String[] headers(String token) {
    List<String> h = new ArrayList<>();
    switch (token) {
      case "right" -> h.addAll(List.of("X-Runtime-Token", TOKEN));
      case "wrong" -> h.addAll(List.of("X-Runtime-Token", "nope"));
      case "bearer" -> h.addAll(List.of("Authorization", "Bearer " + TOKEN));
      default -> {}
    }
    return h.toArray(String[]::new);
  }

  /** An HTTP pool whose instance only has to accept TCP connections for the probe. */
  private static TestGateway gateway(String mode, String allowlist) throws Exception {
    ServerSocket upstream = new ServerSocket(0);
    int port = upstream.getLocalPort();
    TestGateway gw =
        TestGateway.start(
            """
        security: {mode: %s, allowlist: ["%s"]}
        pools: {app: {engine: roadrunner, instances: ["127.0.0.1:%d"]}}
        """
                .formatted(mode, allowlist, port),
            Map.of("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN));
    upstream.close();
    return gw;
  }
}
