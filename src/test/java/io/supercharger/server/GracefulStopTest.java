package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping drains: in-flight requests finish, /ready fails first; signals behave as documented. */
class GracefulStopTest {

  @Test
  void stopLetsInFlightRequestsFinish() throws Exception {
    try (PhpStack php = PhpStack.start(1, 0, 0)) {
      TestGateway gw =
          TestGateway.start(
              """
          security: {mode: "off"}
          pools: {worker: {engine: php-worker, instances: %s}}
          """
                  .formatted(php.workerInstances()));
      CompletableFuture<HttpResponse<String>> slow =
          gw.http.sendAsync(
              HttpRequest.newBuilder(gw.uri("/api/categories?delay_ms=700")).build(),
              HttpResponse.BodyHandlers.ofString());
      awaitInFlight(gw);
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> gw.gateway.stop(Duration.ofSeconds(5)));
      assertEquals(
          200, slow.get(10, TimeUnit.SECONDS).statusCode(), "the in-flight request completes");
      stopping.get(10, TimeUnit.SECONDS);
      assertTrue(!gw.gateway.isReady());
    }
  }

  @Test
  void sigtermDrainsAndExitsZeroWhileSighupIsIgnored(@TempDir Path dir) throws Exception {
    try (PhpStack php = PhpStack.start(1, 0, 0)) {
      int port = FreePort.find();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          """
          listen: {host: 127.0.0.1, port: %d}
          security: {mode: "off"}
          access_log: {enabled: false}
          pools: {worker: {engine: php-worker, instances: %s}}
          """
              .formatted(port, php.workerInstances()));
      Process gateway =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.supercharger.cli.Main",
                  "run",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out.log").toFile())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        awaitReady(http, port, gateway);
        new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start().waitFor();
        assertEquals(
            200,
            http.send(
                    HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode(),
            "SIGHUP must not kill the gateway");
        CompletableFuture<HttpResponse<String>> slow =
            http.sendAsync(
                HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + port + "/api/categories?delay_ms=700"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        gateway.destroy(); // SIGTERM
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode(), "drained, not cut");
        assertTrue(gateway.waitFor(15, TimeUnit.SECONDS));
        assertEquals(0, gateway.exitValue(), Files.readString(dir.resolve("out.log")));
      } finally {
        gateway.destroyForcibly();
      }
    }
  }

  private static void awaitInFlight(TestGateway gw) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (gw.gateway.pools().get(0).instances().get(0).inFlight() == 0) {
      assertTrue(System.nanoTime() < deadline, "request never reached the upstream");
      LockSupport.parkNanos(5_000_000);
    }
  }

  private static void awaitReady(HttpClient http, int port, Process gateway) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && gateway.isAlive()) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/ready"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      LockSupport.parkNanos(50_000_000);
    }
    throw new AssertionError("gateway did not become ready");
  }
}
