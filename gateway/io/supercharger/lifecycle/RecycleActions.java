package io.supercharger.lifecycle;

import io.supercharger.config.RecycleConfig;
import io.supercharger.upstream.Instance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Builds the recycle action a pool's config names. Blocking work runs off the event loops. */
public final class RecycleActions {
  private static final Logger LOG = Logger.getLogger(RecycleActions.class.getName());
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private RecycleActions() {}

  public static RecycleAction create(
      Vertx vertx, RecycleConfig config, HttpClient http, EngineAdapter adapter) {
    return switch (config.action()) {
      case "exec" -> instance -> exec(vertx, fill(config.command(), instance));
      case "http" -> instance -> http(http, config, instance);
      case "signal" ->
          instance ->
              pid(config, instance, adapter).compose(pid -> signal(vertx, config, instance, pid));
      default -> instance -> Future.succeededFuture();
    };
  }

  private static List<String> fill(List<String> command, Instance instance) {
    List<String> out = new ArrayList<>(command.size());
    for (String arg : command) {
      out.add(RecycleAction.fill(arg, instance));
    }
    return out;
  }

  /**
   * Runs a command off the event loops. Its output goes to a temporary file rather than a pipe, so
   * a command that hangs, or leaves a child holding the pipe, still ends at the timeout.
   */
  static Future<Void> exec(Vertx vertx, List<String> argv) {
    return vertx.executeBlocking(
        () -> {
          Path output = Files.createTempFile("supercharger-recycle-", ".log");
          try {
            Process p =
                new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
              p.destroyForcibly();
              throw new IOException(
                  argv.get(0) + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
              String text = Files.readString(output);
              throw new IOException(
                  String.join(" ", argv)
                      + " exited "
                      + p.exitValue()
                      + ": "
                      + text.substring(0, Math.min(text.length(), 2000)).strip());
            }
            return null;
          } finally {
            Files.deleteIfExists(output);
          }
        },
        false);
  }

  private static Future<Void> http(HttpClient client, RecycleConfig config, Instance instance) {
    RequestOptions options =
        new RequestOptions()
            .setAbsoluteURI(RecycleAction.fill(config.url(), instance))
            .setMethod(HttpMethod.valueOf(config.method()))
            .setTimeout(COMMAND_TIMEOUT.toMillis());
    config.headers().forEach(options::putHeader);
    return client
        .request(options)
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .compose(
                        body ->
                            resp.statusCode() / 100 == 2
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture(
                                    "recycle call answered "
                                        + resp.statusCode()
                                        + ": "
                                        + body.toString().strip())));
  }

  /** The pid from pid_file, or else freshly from the engine's stats (a restart changes it). */
  private static Future<Long> pid(RecycleConfig config, Instance instance, EngineAdapter adapter) {
    if (config.pidFile() != null) {
      try {
        return Future.succeededFuture(
            Long.parseLong(Files.readString(Path.of(config.pidFile())).strip()));
      } catch (IOException | NumberFormatException e) {
        return Future.failedFuture(
            "cannot read pid_file " + config.pidFile() + ": " + e.getMessage());
      }
    }
    return adapter
        .fetch(instance)
        .compose(
            stats ->
                stats.pid() != null
                    ? Future.succeededFuture(stats.pid())
                    : Future.failedFuture(
                        "no pid for "
                            + instance
                            + ": set recycle.pid_file or expose pid in the stats"));
  }

  /**
   * Java cannot signal another process, so this execs kill. For TERM-style recycles the action
   * completes when the process is gone, so a probe cannot mistake the exiting process for the
   * restarted one.
   */
  private static Future<Void> signal(
      Vertx vertx, RecycleConfig config, Instance instance, long pid) {
    long target = pid;
    Future<Void> sent = exec(vertx, List.of("kill", "-" + config.signal(), Long.toString(target)));
    if (!List.of("TERM", "INT", "QUIT", "KILL").contains(config.signal())) {
      return sent;
    }
    return sent.compose(
        v ->
            vertx.executeBlocking(
                () -> {
                  var handle = ProcessHandle.of(target);
                  if (handle.isPresent()) {
                    try {
                      handle.get().onExit().get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                      LOG.warning(
                          "pid "
                              + target
                              + " of "
                              + instance
                              + " still runs "
                              + COMMAND_TIMEOUT.toSeconds()
                              + " s after SIG"
                              + config.signal());
                    }
                  }
                  return null;
                },
                false));
  }
}
