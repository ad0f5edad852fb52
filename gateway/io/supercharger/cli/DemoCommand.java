package io.supercharger.cli;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpBinaries;
import io.supercharger.demo.PhpFpmProcess;
import io.supercharger.demo.SupervisedWorker;
import io.supercharger.demo.TrafficDriver;
import io.supercharger.server.Gateway;
import io.supercharger.telemetry.Logs;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

/**
 * {@code supercharger demo}: PHP worker runners (HTTP) and php-fpm (FastCGI) behind the gateway,
 * driven with mixed traffic, then a one-screen summary. Everything it starts, it stops.
 */
final class DemoCommand {
  private final List<AutoCloseable> processes = new ArrayList<>();
  private Gateway gateway;

  int run(Args args, PrintStream out, PrintStream err) {
    int seconds = args.intOption("seconds", 30, 1, 86_400);
    int port = args.intOption("port", 8080, 1, 65535);
    Path phpDir = Path.of(args.option("php-dir") == null ? "src/test/php" : args.option("php-dir"));
    Path configFile =
        Path.of(args.option("config") == null ? "conf/demo.yaml" : args.option("config"));
    if (!Files.isRegularFile(phpDir.resolve("worker.php"))) {
      err.println(
          "supercharger demo: "
              + phpDir
              + "/worker.php not found: run from the repository root or pass --php-dir");
      return Main.EXIT_FAILURE;
    }
    if (PhpBinaries.findPhp().isEmpty() || PhpBinaries.findPhpFpm().isEmpty()) {
      err.println(
          "supercharger demo: PHP is missing. Install it with: apt-get install php8.2-cli php8.2-fpm");
      return Main.EXIT_FAILURE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTerminate(
        () -> {
          out.println("\nstopping the demo...");
          stopAll();
          stopped.countDown();
        });
    try {
      Path work = Path.of(".demo").toAbsolutePath();
      Files.createDirectories(work);
      Files.deleteIfExists(work.resolve("access.log"));
      Files.deleteIfExists(work.resolve("gateway.log"));
      Logs.installJsonFile(Level.INFO, work.resolve("gateway.log"));
      double errorRate = args.intOption("inject-errors", 0, 0, 100) / 100.0;
      Map<String, String> env = startPhp(phpDir, work, errorRate);
      if (args.flag("canary")) {
        Files.deleteIfExists(work.resolve("canary.json"));
        env.put("DEMO_CANARY", "true");
      }
      GatewayConfig config = ConfigLoader.load(configFile, env).withPort(port);
      gateway =
          Gateway.start(
              config,
              new Gateway.Options(Clock.systemUTC(), Runtime.getRuntime().availableProcessors()));
      awaitAllReady(Duration.ofSeconds(15));
      String base = "http://127.0.0.1:" + gateway.port();
      out.println(
          "Runtime Supercharger demo: gateway on "
              + base
              + "  (logs: .demo/gateway.log, .demo/access.log)");
      describePools(out);
      String token = env.get("DEMO_TOKEN_FILE");
      if (args.flag("no-load")) {
        printTryIt(out, base, token);
        out.println("\nThe stack is up. Ctrl-C stops it.");
        stopped.await();
        return Main.EXIT_OK;
      }
      out.println(
          "Driving "
              + seconds
              + " s of mixed read/write traffic (16 concurrent clients, 400 users)...");
      TrafficDriver.Result result =
          new TrafficDriver("127.0.0.1", gateway.port(), 16, 400)
              .run(Duration.ofSeconds(seconds), System.console() != null ? out : null);
      new DemoSummary(config, gateway, result).print(out);
      printTryIt(out, base, token);
      // Injected errors are the point of a fault run; otherwise any error fails the demo.
      return result.errors() == 0 || errorRate > 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_FAILURE;
    } catch (io.supercharger.config.ConfigException e) {
      throw e;
    } catch (Exception e) {
      err.println("supercharger demo: " + RunCommand.describe(e));
      return Main.EXIT_FAILURE;
    } finally {
      stopAll();
    }
  }

  /**
   * @param workerErrorRate a fault on the worker pool only (the canary), for a rollback to see
   */
  private Map<String, String> startPhp(Path phpDir, Path work, double workerErrorRate)
      throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    Path tokenFile = work.resolve("token");
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    Files.writeString(tokenFile, HexFormat.of().formatHex(secret) + "\n");
    env.put("DEMO_TOKEN_FILE", tokenFile.toString());
    env.put("DEMO_ACCESS_LOG", work.resolve("access.log").toString());
    Map<String, String> appEnv = Map.of("APP_DATABASE", freshDatabase(work).toString());
    // Supervised, as systemd or Kubernetes would keep them: the gateway's recycles restart them.
    for (int i = 1; i <= 2; i++) {
      Map<String, String> workerEnv = new HashMap<>(appEnv);
      if (workerErrorRate > 0) {
        workerEnv.put("APP_ERROR_RATE", Double.toString(workerErrorRate));
      }
      SupervisedWorker worker =
          SupervisedWorker.start(phpDir, "127.0.0.1", FreePort.find(), 0, workerEnv);
      processes.add(worker);
      worker.awaitReady(Duration.ofSeconds(10));
      env.put("DEMO_WORKER_PORT_" + i, Integer.toString(worker.port()));
    }
    PhpFpmProcess fpm =
        PhpFpmProcess.start(
            phpDir, work.resolve("fpm"), "127.0.0.1", FreePort.find(), 4, 500, appEnv);
    processes.add(fpm);
    fpm.awaitReady(Duration.ofSeconds(10));
    env.put("DEMO_FPM_PORT", Integer.toString(fpm.port()));
    env.put("DEMO_DOCUMENT_ROOT", fpm.documentRoot().toString());
    return env;
  }

  /**
   * One SQLite file for every PHP process of both pools, as they would share one database server;
   * removed first, so each demo starts from the seed data.
   */
  private static Path freshDatabase(Path work) throws IOException {
    Path db = work.resolve("app.sqlite");
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(db + suffix));
    }
    return db;
  }

  private void awaitAllReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all =
          gateway.pools().stream()
              .flatMap(p -> p.instances().stream())
              .allMatch(i -> i.state() == InstanceState.READY);
      if (all) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "upstream instances did not become READY within " + timeout.toSeconds() + " s");
  }

  private void describePools(PrintStream out) {
    for (Pool pool : gateway.pools()) {
      List<String> addresses =
          pool.instances().stream().map(Instance::address).map(Object::toString).toList();
      out.printf(
          "  pool %-7s %-10s over %-7s %s%n",
          pool.name(),
          pool.config().engine(),
          pool.config().protocol(),
          String.join(", ", addresses));
    }
  }

  private static void printTryIt(PrintStream out, String base, String tokenFile) {
    out.println();
    out.println("Try it (the token is in " + tokenFile + "):");
    out.println("  curl -si " + base + "/api/categories");
    out.println("  curl -s -H \"X-Runtime-Token: $(cat " + tokenFile + ")\" " + base + "/status");
    out.println(
        "  curl -s -H \"X-Runtime-Token: $(cat "
            + tokenFile
            + ")\" "
            + base
            + "/metrics | grep '^gateway_'");
    out.println("  curl -si " + base + "/metrics            # no token: 403");
  }

  private synchronized void stopAll() {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(2));
      gateway = null;
    }
    for (AutoCloseable p : processes) {
      try {
        p.close();
      } catch (Exception e) {
        // Stopping is best effort: the process registry kills leftovers at JVM exit.
      }
    }
    processes.clear();
  }
}
