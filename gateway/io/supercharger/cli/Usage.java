package io.supercharger.cli;

import java.util.Set;

/** Help texts: one per command, printed by --help. */
final class Usage {
  private Usage() {}

  record Spec(String text, Set<String> flags, Set<String> valued, int maxPositional) {
  }

  static final String MAIN = """
      Runtime Supercharger: the gateway in front of PHP worker-mode engines and php-fpm.

      Usage: supercharger <command> [options]

      Commands:
        run            run the gateway in the foreground
        demo           start PHP workers, php-fpm and the gateway, drive traffic, print a summary
        test           run the test suite (launcher only: mvn -B verify)
        check-config   validate a config file (exit 2 and a message naming the field if wrong)
        version        print the version, commit and build time

      Run 'supercharger <command> --help' for a command's options.
      """;

  static final Spec RUN = new Spec("""
      Usage: supercharger run [--config FILE] [--port N]

      Runs the gateway in the foreground until SIGTERM or Ctrl-C, which drain in-flight requests.
      Without --config the embedded conf/gateway.yaml is used. Environment variables
      RUNTIME_ENDPOINT_SECURITY_* and RUNTIME_WORKER_LIFECYCLE_* override the file.

      Options:
        --config FILE       the gateway config (YAML)
        --port N            listen on this port instead of listen.port
        --event-loops N     event-loop threads (default: one per core)
        --drain-seconds N   how long SIGTERM waits for in-flight requests (default 10)
      """, Set.of(), Set.of("config", "port", "event-loops", "drain-seconds"), 0);

  static final Spec CHECK_CONFIG = new Spec("""
      Usage: supercharger check-config FILE

      Validates FILE (with the environment's overrides) without starting anything. Prints "ok"
      and exits 0, or prints every problem with its field path and exits 2.
      """, Set.of(), Set.of(), 1);

  static final Spec VERSION = new Spec("""
      Usage: supercharger version

      Prints the version, the commit and the build time.
      """, Set.of(), Set.of(), 0);

  static final Spec DEMO = new Spec("""
      Usage: supercharger demo [--seconds N] [--port N] [--no-load] [--canary] [--inject-errors PCT]

      Starts a pool of PHP worker-mode runners (HTTP), a php-fpm pool (FastCGI) and the gateway
      with conf/demo.yaml, drives mixed read and write traffic through it, and prints requests
      per pool against the split, latency per route, and the curl lines for /status and /metrics.
      Ctrl-C or the end of --seconds stops everything the demo started.

      Options:
        --seconds N     how long to drive traffic (default 30)
        --port N        the gateway's port (default 8080)
        --no-load       bring the stack up and wait for Ctrl-C, without traffic
        --canary        run the canary with 3 s windows: worker mode promoted step by step
        --inject-errors PCT
                        make the worker pool fail PCT% of requests (with --canary: a rollback)
        --php-dir DIR   the PHP app and runner (default src/test/php)
        --config FILE   the demo config (default conf/demo.yaml)
      """, Set.of("no-load", "canary"), Set.of("seconds", "port", "php-dir", "config", "inject-errors"), 0);
}
