package io.supercharger.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A php-fpm master with one static pool serving the sample app, configured from {@code
 * fpm/php-fpm.conf.template} rendered into a private work directory (config, pid file).
 */
public final class PhpFpmProcess extends PhpProcess {
  static final String TEMPLATE = "fpm/php-fpm.conf.template";

  private final Path documentRoot;
  private final Path configFile;

  private PhpFpmProcess(
      ProcessBuilder builder, String host, int port, Path documentRoot, Path configFile) {
    super("php-fpm", builder, host, port);
    this.documentRoot = documentRoot;
    this.configFile = configFile;
  }

  /**
   * Renders the pool config into {@code workDir} and starts php-fpm in the foreground; call {@link
   * #awaitReady} before sending traffic.
   *
   * @param maxRequests each FPM worker is recycled after this many requests; 0 = never
   * @param env added to the inherited environment; the pool keeps it (clear_env = no)
   */
  public static PhpFpmProcess start(
      Path phpDir,
      Path workDir,
      String host,
      int port,
      int maxChildren,
      int maxRequests,
      Map<String, String> env) {
    return start(phpDir, workDir, host, port, maxChildren, maxRequests, env, List.of());
  }

  /**
   * As above, with {@code extraArgs} added to the php-fpm command line: e.g. {@code -n} (no
   * php.ini), which the FastCGI client tests use so that PHP's error_log() reaches the request's
   * FCGI_STDERR stream instead of a log file that a distribution's php.ini may name.
   */
  public static PhpFpmProcess start(
      Path phpDir,
      Path workDir,
      String host,
      int port,
      int maxChildren,
      int maxRequests,
      Map<String, String> env,
      List<String> extraArgs) {
    Path root = phpDir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve(TEMPLATE))) {
      throw new IllegalArgumentException(
          "phpDir: " + phpDir + " (expected a directory holding " + TEMPLATE + ")");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (maxChildren < 1) {
      throw new IllegalArgumentException("maxChildren: " + maxChildren + " (expected: > 0)");
    }
    if (maxRequests < 0) {
      throw new IllegalArgumentException(
          "maxRequests: " + maxRequests + " (expected: >= 0, 0 = unlimited)");
    }
    Path prefix = workDir.toAbsolutePath().normalize();
    boolean root0 = RunningUser.isRoot();
    Path config = prefix.resolve("php-fpm.conf");
    try {
      Files.createDirectories(prefix);
      String template = Files.readString(root.resolve(TEMPLATE), StandardCharsets.UTF_8);
      Files.writeString(
          config,
          render(
              template,
              Map.of(
                  "prefix", prefix.toString(),
                  "listen", (host.contains(":") ? "[" + host + "]" : host) + ":" + port,
                  "max_children", Integer.toString(maxChildren),
                  "max_requests", Integer.toString(maxRequests),
                  "user_group", userGroupLines(root0))),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the php-fpm config into " + prefix, e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                PhpBinaries.phpFpm().toString(),
                "--nodaemonize",
                "--fpm-config",
                config.toString(),
                "--prefix",
                prefix.toString()));
    if (root0) {
      // As root php-fpm refuses to start without -R (and then wants no user/group lines).
      command.add("--allow-to-run-as-root");
    }
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command).directory(prefix.toFile());
    builder.environment().putAll(env);
    return new PhpFpmProcess(builder, host, port, root.resolve("public"), config);
  }

  /** The pool's document root: SCRIPT_FILENAME is {@code documentRoot()/index.php}. */
  public Path documentRoot() {
    return documentRoot;
  }

  /** The front controller every request goes to. */
  public Path frontController() {
    return documentRoot.resolve("index.php");
  }

  public Path configFile() {
    return configFile;
  }

  static String render(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> value : values.entrySet()) {
      out = out.replace("{{" + value.getKey() + "}}", value.getValue());
    }
    int left = out.indexOf("{{");
    if (left >= 0) {
      throw new IllegalStateException(
          TEMPLATE
              + ": placeholder left unrendered near: "
              + out.substring(left, Math.min(out.length(), left + 40)));
    }
    return out;
  }

  /*
   * Workers run as the launching user either way. Non-root: php-fpm cannot switch users and warns
   * about user/group lines. Root: with -R and no user line the workers stay root, which is what a
   * container test run needs to read the worktree.
   */
  private static String userGroupLines(boolean root) {
    return root
        ? "; user/group omitted: started as root with -R, workers stay root"
        : "; user/group omitted: not root, workers run as the launching user";
  }
}
