package io.supercharger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpFpmProcess;
import io.supercharger.demo.PhpProcess;
import io.supercharger.demo.PhpWorkerProcess;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Symfony app (src/test/php/app) behind the gateway, in both pools, with its reset and fault
 * switches. Pools: "worker" (resets on, the runbook's baseline), "fpm", and two workers that each
 * miss one reset, reached only through the override header. All share one SQLite file and one
 * control file, which the tests rewrite to flip faults in the running processes.
 */
class SymfonyAppThroughGatewayTest {
  private static final String POOL = "X-Supercharger-Pool";

  static Path controlFile;
  static final List<PhpProcess> php = new ArrayList<>();
  static PhpWorkerProcess worker;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("sc-app");
    controlFile = dir.resolve("faults.json");
    Map<String, String> env =
        PhpStack.withFreshDatabase(Map.of("APP_CONTROL_FILE", controlFile.toString()));
    worker = startWorker(env, Map.of());
    PhpWorkerProcess noKernelReset = startWorker(env, Map.of("RUNTIME_WORKER_RESET_KERNEL", "0"));
    PhpWorkerProcess noDoctrineReset =
        startWorker(env, Map.of("RUNTIME_WORKER_RESET_DOCTRINE", "0"));
    PhpFpmProcess fpm =
        PhpFpmProcess.start(
            PhpStack.PHP_DIR, dir.resolve("fpm"), "127.0.0.1", FreePort.find(), 2, 0, env);
    php.add(fpm);
    for (PhpProcess p : php) {
      p.awaitReady(Duration.ofSeconds(15));
    }
    // Every pool is listed in split.weights, in pool order: the gateway maps a split decision's
    // index onto the pool list, so weights written in another order (or omitting a pool) would
    // send a request to the wrong pool. Reported to the lead; remove this note when fixed.
    gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        pools:
          worker: {engine: php-worker, protocol: http, instances: ["%s"]}
          worker-no-kernel-reset: {engine: php-worker, protocol: http, instances: ["%s"]}
          worker-no-doctrine-reset: {engine: php-worker, protocol: http, instances: ["%s"]}
          fpm:
            engine: fpm
            instances: ["%s"]
            fastcgi: {document_root: "%s", index: index.php, max_children: 2}
        split: {weights: {worker: 50, worker-no-kernel-reset: 0, worker-no-doctrine-reset: 0, fpm: 50}}
        """
                .formatted(
                    worker.address(),
                    noKernelReset.address(),
                    noDoctrineReset.address(),
                    fpm.address(),
                    fpm.documentRoot()));
  }

  private static PhpWorkerProcess startWorker(Map<String, String> env, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    PhpWorkerProcess w =
        PhpWorkerProcess.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, all);
    php.add(w);
    return w;
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    php.forEach(PhpProcess::close);
  }

  @AfterEach
  void faultsOff() throws Exception {
    faults("{}");
  }

  /** Both pools read one database: a difference here means one pool serves stale or other data. */
  @ParameterizedTest(name = "GET {0}: the same answer from the worker and from FPM")
  @ValueSource(
      strings = {
        "/api/categories",
        "/api/categories/7",
        "/api/categories/999",
        "/api/orders/42",
        "/api/orders/999999",
        "/api/nope"
      })
  void readsAreTheSameFromBothPools(String path) throws Exception {
    HttpResponse<String> fromWorker = gw.get(path, POOL, "worker");
    HttpResponse<String> fromFpm = gw.get(path, POOL, "fpm");
    assertEquals(fromWorker.statusCode(), fromFpm.statusCode(), path);
    assertEquals(new JsonObject(fromWorker.body()), new JsonObject(fromFpm.body()));
    assertEquals("cli", fromWorker.headers().firstValue("X-Served-By-Sapi").orElseThrow());
    assertEquals("fpm-fcgi", fromFpm.headers().firstValue("X-Served-By-Sapi").orElseThrow());
  }

  @ParameterizedTest(name = "written through {0}, read through {1}")
  @CsvSource({"worker, fpm", "fpm, worker"})
  void aWriteThroughOnePoolIsReadThroughTheOther(String writer, String reader) throws Exception {
    String user = "writer-" + UUID.randomUUID();
    HttpResponse<String> created =
        gw.post(
            "/api/orders",
            "{\"total_cents\": 4321}".getBytes(StandardCharsets.UTF_8),
            POOL,
            writer,
            "X-User-Id",
            user,
            "Content-Type",
            "application/json");
    assertEquals(201, created.statusCode(), created.body());
    JsonObject order = new JsonObject(created.body()).getJsonObject("order");
    assertEquals(user, order.getString("user_id"));
    assertEquals(4321, order.getInteger("total_cents"));

    HttpResponse<String> read = gw.get("/api/orders/" + order.getInteger("id"), POOL, reader);
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(order, new JsonObject(read.body()).getJsonObject("order"));

    postMessage(writer, user, "hello from " + writer);
    JsonObject messages = messages(reader, user);
    assertEquals(user, messages.getString("user"));
    assertEquals(
        "hello from " + writer,
        messages.getJsonArray("messages").getJsonObject(0).getString("text"));
  }

  /** The runbook's baseline: with the resets on, a warm worker forgets the previous user. */
  @ParameterizedTest(
      name = "{0}: resets on, leak off: an anonymous request after user A sees nothing of A")
  @ValueSource(strings = {"worker", "fpm"})
  void anAnonymousRequestAfterUserAGetsNoneOfAsData(String pool) throws Exception {
    String a = "alice-" + UUID.randomUUID();
    postMessage(pool, a, "secret of " + a);
    assertEquals(1, messages(pool, a).getInteger("count"));

    JsonObject anonymous = messages(pool, null);
    assertNull(anonymous.getString("user"), anonymous.encode());
    assertEquals(0, anonymous.getJsonArray("messages").size(), anonymous.encode());
  }

  /**
   * The leak fault is a static "last user" cache: services_resetter cannot see it, so the warm
   * worker serves A's messages to the next request without a user. FPM drops statics after each
   * request, which is why such a bug passes every test until worker mode is switched on.
   */
  @Test
  void withTheLeakOnTheWorkerServesAsDataToAnAnonymousRequestAndFpmDoesNot() throws Exception {
    faults("{\"leak\": true}");
    for (String pool : List.of("worker", "fpm")) {
      String a = "alice-" + UUID.randomUUID();
      postMessage(pool, a, "secret of " + a);
      messages(pool, a);
      JsonObject anonymous = messages(pool, null);
      if (pool.equals("worker")) {
        assertEquals(a, anonymous.getString("user"), "the worker leaks: " + anonymous.encode());
        assertEquals(
            "secret of " + a,
            anonymous.getJsonArray("messages").getJsonObject(0).getString("text"));
      } else {
        assertNull(anonymous.getString("user"), "FPM cannot leak: " + anonymous.encode());
        assertEquals(0, anonymous.getJsonArray("messages").size());
      }
    }
  }

  /** CurrentUser is a ResetInterface service: only the KERNEL reset clears it between requests. */
  @Test
  void withoutTheKernelResetUserALingersInTheWorkerEvenWithTheLeakOff() throws Exception {
    String a = "alice-" + UUID.randomUUID();
    postMessage("worker-no-kernel-reset", a, "secret of " + a);
    JsonObject anonymous = messages("worker-no-kernel-reset", null);
    assertEquals(a, anonymous.getString("user"), anonymous.encode());
  }

  /**
   * The runbook's random "already closed" errors: the link dies between requests (here the fault
   * drops it after each one). Without the DOCTRINE reset the worker keeps using the dead link; with
   * it the connection is closed after each request and reopened fresh; FPM opens one per request.
   */
  @Test
  void aDroppedDbLinkFailsRequestsOnlyWithoutTheDoctrineReset() throws Exception {
    faults("{\"db_drop\": true}");
    for (String pool : List.of("worker", "fpm")) {
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = gw.get("/api/categories/1", POOL, pool);
        assertEquals(200, r.statusCode(), pool + " request " + i + ": " + r.body());
      }
    }
    // The worker's link was opened at boot and dropped after the first request with the fault on.
    gw.get("/api/categories/1", POOL, "worker-no-doctrine-reset");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = gw.get("/api/categories/1", POOL, "worker-no-doctrine-reset");
      assertEquals(500, r.statusCode(), r.body());
      assertTrue(r.body().contains("already closed"), r.body());
    }
  }

  @ParameterizedTest(name = "{0}: latency and errors are injected on the named route only")
  @ValueSource(strings = {"worker", "fpm"})
  void latencyAndErrorsAreInjectedPerRoute(String pool) throws Exception {
    faults("{\"delay_ms\": {\"categories_show\": 300}, \"error_rate\": {\"orders_show\": 1}}");
    HttpResponse<String> failed = gw.get("/api/orders/1", POOL, pool);
    assertEquals(500, failed.statusCode());
    assertEquals("injected error", new JsonObject(failed.body()).getString("error"));
    assertEquals(200, gw.get("/api/categories", POOL, pool).statusCode());

    long start = System.nanoTime();
    assertEquals(200, gw.get("/api/categories/1", POOL, pool).statusCode());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300, "the delay ran");
  }

  /** The runbook's memory symptom, where operators look for it: the runner's status. */
  @Test
  void memoryGrowthShowsInTheRunnersStatus() throws Exception {
    JsonObject before = workerStatus();
    faults("{\"grow_kb\": 512}");
    int requests = 20;
    for (int i = 0; i < requests; i++) {
      assertEquals(200, gw.get("/api/categories", POOL, "worker").statusCode());
    }
    JsonObject after = workerStatus();
    long grown = after.getLong("memory_bytes") - before.getLong("memory_bytes");
    assertTrue(
        grown >= requests * 512L * 1024 * 9 / 10, "grew " + grown + " bytes: " + after.encode());

    assertEquals(
        before.getJsonObject("kernel").getString("boot_id"),
        after.getJsonObject("kernel").getString("boot_id"));
    for (String reset : List.of("kernel", "doctrine")) {
      long count =
          after.getJsonObject("resets").getJsonObject(reset).getLong("count")
              - before.getJsonObject("resets").getJsonObject(reset).getLong("count");
      assertEquals(requests + 0L, count, reset + " resets: " + after.encode());
    }
  }

  /** Worker mode's whole advantage: the kernel boots once. Under FPM it boots for every request. */
  @ParameterizedTest(name = "{0}: kernel boots per {1} requests")
  @CsvSource({"worker, 10", "fpm, 1"})
  void theKernelBootsOnceInTheWorkerAndPerRequestUnderFpm(String pool, int requestsPerBoot)
      throws Exception {
    Set<String> bootIds = new HashSet<>();
    int previous = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = gw.get("/api/categories/2", POOL, pool);
      bootIds.add(r.headers().firstValue("X-Kernel-Boot-Id").orElseThrow());
      int kernelRequests =
          Integer.parseInt(r.headers().firstValue("X-Kernel-Requests").orElseThrow());
      if (pool.equals("worker")) {
        assertTrue(kernelRequests > previous, "one kernel counts every request");
      } else {
        assertEquals(1, kernelRequests, "a fresh kernel per request");
      }
      previous = kernelRequests;
    }
    assertEquals(10 / requestsPerBoot, bootIds.size(), bootIds.toString());
    if (pool.equals("worker")) {
      assertEquals(
          bootIds.iterator().next(), workerStatus().getJsonObject("kernel").getString("boot_id"));
    }
  }

  private static void postMessage(String pool, String user, String text) throws Exception {
    HttpResponse<String> r =
        gw.post(
            "/api/messages",
            new JsonObject().put("text", text).encode().getBytes(StandardCharsets.UTF_8),
            POOL,
            pool,
            "X-User-Id",
            user,
            "Content-Type",
            "application/json");
    assertEquals(201, r.statusCode(), r.body());
  }

  /** GET /api/messages as {@code user}, or with no X-User-Id when null. */
  private static JsonObject messages(String pool, String user) throws Exception {
    HttpResponse<String> r =
        user == null
            ? gw.get("/api/messages", POOL, pool)
            : gw.get("/api/messages", POOL, pool, "X-User-Id", user);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertFalse(
        body.getJsonArray("messages", new JsonArray()).isEmpty() && body.getInteger("count") > 0);
    return body;
  }

  private static JsonObject workerStatus() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + worker.address() + PhpWorkerProcess.STATUS_PATH))
            .timeout(Duration.ofSeconds(10))
            .build();
    return new JsonObject(gw.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /**
   * Replaces the control file atomically: PHP re-reads it on every request and must never see half
   * of it.
   */
  private static void faults(String json) throws Exception {
    Path tmp = Files.createTempFile(controlFile.getParent(), "faults", ".tmp");
    Files.writeString(tmp, json);
    Files.move(
        tmp, controlFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
