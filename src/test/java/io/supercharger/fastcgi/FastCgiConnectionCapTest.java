package io.supercharger.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.PhpFpmProcess;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The key scenario: 4 × max_children concurrent POSTs from two event loops against php-fpm with
 * max_children=2 and pm.max_requests=5, so children are recycled (and close kept-alive sockets) all
 * through the run. Guards two bugs: a third socket to FPM (with keep-alive it sits in the backlog
 * with no child to serve it, and FPM deadlocks), and a recycled child's close reaching a client as
 * a 502.
 */
class FastCgiConnectionCapTest {

  private static final int MAX_CHILDREN = 2;
  private static final int CONCURRENT = 4 * MAX_CHILDREN;
  private static final int ROUNDS = 6;

  /**
   * GET with keep-alive runs on reused sockets, so it also guards the idempotent retry after a
   * recycle.
   */
  @ParameterizedTest(name = "keepAlive={0} {1}")
  @CsvSource({"false, POST", "true, POST", "true, GET"})
  void concurrentRequestsNeverExceedMaxChildrenAndNeverFail(boolean keepAlive, String method)
      throws Exception {
    boolean post = method.equals("POST");
    try (PhpFpmProcess fpm = ClientHarness.startFpm(MAX_CHILDREN, 5);
        ClientHarness harness =
            new ClientHarness(
                FastCgiClientOptions.defaults()
                    .withKeepAlive(keepAlive)
                    .withTimeouts(1000, 10_000)
                    .withMaxWaitMs(10_000),
                2)) {
      SocketAddress address = SocketAddress.inetSocketAddress(fpm.port(), "127.0.0.1");
      FcgiInstanceLimit limit = new FcgiInstanceLimit(MAX_CHILDREN, 4 * CONCURRENT);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger maxSeen = new AtomicInteger();
      AtomicInteger samples = new AtomicInteger();
      Thread sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    maxSeen.accumulateAndGet(establishedTo(fpm.port()), Math::max);
                    samples.incrementAndGet();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  LockSupport.parkNanos(200_000); // a sampling period, not a wait for a condition
                }
              },
              "proc-net-tcp-sampler");
      sampler.start();

      List<String> errors = new ArrayList<>();
      int ok = 0;
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<ClientHarness.Result>> inFlight = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
          byte[] body = ("round " + round + " request " + i + " ").repeat(100 + i).getBytes();
          bodies.add(body);
          int loop = i % 2;
          inFlight.add(
              harness.exchange(
                  loop,
                  address,
                  limit,
                  ClientHarness.params(method, "/api/orders", MultiMap.caseInsensitiveMultiMap()),
                  post
                      ? () -> new ClientHarness.ChunkedBody(harness.contexts[loop], body, 1024)
                      : null,
                  post ? body.length : 0,
                  !post));
        }
        for (int i = 0; i < CONCURRENT; i++) {
          try {
            ClientHarness.Result r = inFlight.get(i).get(30, TimeUnit.SECONDS);
            JsonObject echo = new JsonObject(r.text());
            assertEquals(
                ClientHarness.sha256(post ? bodies.get(i) : new byte[0]), echo.getString("sha256"));
            ok++;
          } catch (Exception e) {
            errors.add(e.toString());
          }
        }
      }
      running.set(false);
      sampler.join();

      assertEquals(List.of(), errors, "FPM log:\n" + fpm.output().text());
      assertEquals(ROUNDS * CONCURRENT, ok);
      assertTrue(limit.highWaterMark() <= MAX_CHILDREN, "high-water mark " + limit.highWaterMark());
      assertEquals(
          MAX_CHILDREN, limit.highWaterMark(), "the cap was reached, so the test did test it");
      assertTrue(samples.get() > 0);
      assertTrue(maxSeen.get() <= MAX_CHILDREN, "sockets seen in /proc/net/tcp: " + maxSeen.get());
    }
  }

  /**
   * Client-side sockets in ESTABLISHED state whose remote port is {@code port}, from /proc/net/tcp.
   */
  private static int establishedTo(int port) throws IOException {
    int count = 0;
    List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
      if (remotePort == port && f[3].equals("01")) {
        count++;
      }
    }
    return count;
  }
}
