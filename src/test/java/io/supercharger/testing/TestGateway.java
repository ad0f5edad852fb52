package io.supercharger.testing;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import io.supercharger.server.Gateway;
import io.supercharger.upstream.InstanceState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** A real gateway on a free port, built from YAML text, with a plain HTTP client pointed at it. */
public final class TestGateway implements AutoCloseable {
  public final Gateway gateway;
  public final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Starts on port 0 with the access log off; waits until every instance is READY. */
  public static TestGateway start(String yaml) throws Exception {
    return start(yaml, Map.of());
  }

  public static TestGateway start(String yaml, Map<String, String> env) throws Exception {
    String full = yaml + "\nlisten: {host: 127.0.0.1, port: 0}\naccess_log: {enabled: false}\n";
    GatewayConfig config = ConfigLoader.parse(full, "test.yaml", Path.of("").toAbsolutePath(), env);
    TestGateway tg =
        new TestGateway(Gateway.start(config, new Gateway.Options(Clock.systemUTC(), 2)));
    tg.awaitInstances(InstanceState.READY, Duration.ofSeconds(10));
    return tg;
  }

  public void awaitInstances(InstanceState state, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!gateway.pools().stream()
        .flatMap(p -> p.instances().stream())
        .allMatch(i -> i.state() == state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("instances not " + state + " within " + timeout);
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  public int port() {
    return gateway.port();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.stop(Duration.ofMillis(200));
  }
}
