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

/** Real PHP upstreams for gateway tests: worker runners (HTTP) and one php-fpm pool, on free ports. */
public final class PhpStack implements AutoCloseable {
  public static final Path PHP_DIR = Path.of("src/test/php");

  public final List<PhpWorkerProcess> workers = new ArrayList<>();
  public final PhpFpmProcess fpm;

  private PhpStack(List<PhpWorkerProcess> workers, PhpFpmProcess fpm) {
    this.workers.addAll(workers);
    this.fpm = fpm;
  }

  public static PhpStack start(int workerCount, int fpmChildren, int fpmMaxRequests) throws Exception {
    return start(workerCount, fpmChildren, fpmMaxRequests, Map.of());
  }

  /** @param workerEnv added to the worker runners' environment only (e.g. APP_ERROR_RATE) */
  public static PhpStack start(int workerCount, int fpmChildren, int fpmMaxRequests, Map<String, String> workerEnv)
      throws Exception {
    List<PhpWorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      workers.add(PhpWorkerProcess.start(PHP_DIR, "127.0.0.1", FreePort.find(), 0, workerEnv));
    }
    PhpFpmProcess fpm = null;
    if (fpmChildren > 0) {
      Path work = Files.createTempDirectory("sc-fpm");
      fpm = PhpFpmProcess.start(PHP_DIR, work, "127.0.0.1", FreePort.find(), fpmChildren, fpmMaxRequests, Map.of());
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
