package io.supercharger.testing;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpFpmProcess;
import io.supercharger.demo.PhpWorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real PHP upstreams for gateway tests: worker runners (HTTP) and one php-fpm pool, on free ports.
 */
public final class PhpStack implements AutoCloseable {
  public static final Path PHP_DIR = Path.of("src/test/php");

  public final List<PhpWorkerProcess> workers = new ArrayList<>();
  public final PhpFpmProcess fpm;

  private PhpStack(List<PhpWorkerProcess> workers, PhpFpmProcess fpm) {
    this.workers.addAll(workers);
    this.fpm = fpm;
  }

  public static PhpStack start(int workerCount, int fpmChildren, int fpmMaxRequests)
      throws Exception {
    return start(workerCount, fpmChildren, fpmMaxRequests, Map.of());
  }

  /**
   * Every process of the stack shares one fresh SQLite database (APP_DATABASE), as both pools of a
   * deployment share one database server; {@code env} is added for all of them.
   */
  public static PhpStack start(
      int workerCount, int fpmChildren, int fpmMaxRequests, Map<String, String> env)
      throws Exception {
    return start(workerCount, fpmChildren, fpmMaxRequests, env, Map.of());
  }

  /**
   * As above, with {@code workerOnlyEnv} for the worker runners alone (e.g. a fault on the canary).
   */
  public static PhpStack start(
      int workerCount,
      int fpmChildren,
      int fpmMaxRequests,
      Map<String, String> env,
      Map<String, String> workerOnlyEnv)
      throws Exception {
    Map<String, String> shared = withFreshDatabase(env);
    Map<String, String> workerEnv = new java.util.HashMap<>(shared);
    workerEnv.putAll(workerOnlyEnv);
    List<PhpWorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      workers.add(PhpWorkerProcess.start(PHP_DIR, "127.0.0.1", FreePort.find(), 0, workerEnv));
    }
    PhpFpmProcess fpm = null;
    if (fpmChildren > 0) {
      Path work = Files.createTempDirectory("sc-fpm");
      fpm =
          PhpFpmProcess.start(
              PHP_DIR, work, "127.0.0.1", FreePort.find(), fpmChildren, fpmMaxRequests, shared);
    }
    PhpStack stack = new PhpStack(workers, fpm);
    for (PhpWorkerProcess w : workers) {
      w.awaitReady(Duration.ofSeconds(10));
    }
    if (fpm != null) {
      fpm.awaitReady(Duration.ofSeconds(10));
    }
    return stack;
  }

  /** {@code env} plus APP_DATABASE in a new temporary directory, unless {@code env} names one. */
  public static Map<String, String> withFreshDatabase(Map<String, String> env)
      throws java.io.IOException {
    Map<String, String> all = new java.util.HashMap<>(env);
    if (!all.containsKey("APP_DATABASE")) {
      all.put("APP_DATABASE", Files.createTempDirectory("sc-db").resolve("app.sqlite").toString());
    }
    return Map.copyOf(all);
  }

  /** The YAML list of worker addresses, e.g. ["127.0.0.1:4001", "127.0.0.1:4002"]. */
  public String workerInstances() {
    return workers.stream().map(w -> "\"" + w.address() + "\"").toList().toString();
  }

  @Override
  public void close() {
    workers.forEach(PhpWorkerProcess::close);
    if (fpm != null) {
      fpm.close();
    }
  }
}
