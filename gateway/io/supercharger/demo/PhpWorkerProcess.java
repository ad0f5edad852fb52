package io.supercharger.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker-mode runner ({@code src/test/php/worker.php}): one single-process PHP worker speaking
 * HTTP/1.1 on host:port, booted once and kept warm across requests.
 */
public final class PhpWorkerProcess extends PhpProcess {
  /** Where the runner reports pid, memory, uptime and request count (JSON). */
  public static final String STATUS_PATH = "/__worker/status";

  private final int maxRequests;

  private PhpWorkerProcess(ProcessBuilder builder, String host, int port, int maxRequests) {
    super("php-worker", builder, host, port);
    this.maxRequests = maxRequests;
  }

  /**
   * Starts the runner; call {@link #awaitReady} before sending traffic.
   *
   * @param phpDir the directory holding {@code worker.php} and {@code app/}
   * @param maxRequests the runner exits after this many requests, as worker engines do; 0 = never
   * @param env added to the inherited environment (APP_DELAY_MS, APP_ERROR_RATE, ...)
   */
  public static PhpWorkerProcess start(
      Path phpDir, String host, int port, int maxRequests, Map<String, String> env) {
    Path script = phpDir.resolve("worker.php").toAbsolutePath().normalize();
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(
          "phpDir: " + phpDir + " (expected a directory holding worker.php)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (maxRequests < 0) {
      throw new IllegalArgumentException(
          "maxRequests: " + maxRequests + " (expected: >= 0, 0 = unlimited)");
    }
    String listen = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    List<String> command =
        new ArrayList<>(
            List.of(
                PhpBinaries.php().toString(),
                script.toString(),
                "--listen",
                listen,
                "--status-path",
                STATUS_PATH,
                // The runner exits when the JVM disappears even by SIGKILL, where no shutdown hook
                // runs.
                "--exit-with-parent"));
    if (maxRequests > 0) {
      command.add("--max-requests");
      command.add(Integer.toString(maxRequests));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().toFile());
    builder.environment().putAll(env);
    return new PhpWorkerProcess(builder, host, port, maxRequests);
  }

  public int maxRequests() {
    return maxRequests;
  }
}
