package io.supercharger.cli;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import io.supercharger.server.Gateway;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/** {@code supercharger run}: the gateway in the foreground. */
final class RunCommand {
  private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());

  int run(Args args, PrintStream out, PrintStream err) {
    GatewayConfig config = load(args.option("config"));
    if (args.option("port") != null) {
      config = config.withPort(args.intOption("port", 8080, 0, 65535));
    }
    int loops = args.intOption("event-loops", Runtime.getRuntime().availableProcessors(), 1, 256);
    Duration drain = Duration.ofSeconds(args.intOption("drain-seconds", 10, 0, 3600));
    Gateway gateway;
    try {
      gateway = Gateway.start(config, new Gateway.Options(Clock.systemUTC(), loops));
    } catch (Exception e) {
      err.println("supercharger run: cannot start: " + describe(e));
      return Main.EXIT_FAILURE;
    }
    Signals.onTerminate(
        () -> {
          LOG.info("stopping: draining in-flight requests for up to " + drain.toSeconds() + "s");
          gateway.stop(drain);
          LOG.info("stopped");
        });
    Signals.ignoreHangup();
    return Integer.MIN_VALUE;
  }

  static GatewayConfig load(String file) {
    return file == null
        ? ConfigLoader.loadEmbeddedDefault(System.getenv())
        : ConfigLoader.load(Path.of(file), System.getenv());
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof java.net.BindException || message.contains("Address already in use")) {
      return message + " (is another process using the port? try --port)";
    }
    return message;
  }
}
