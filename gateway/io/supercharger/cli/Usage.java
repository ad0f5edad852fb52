package io.supercharger.cli;

import java.util.Set;

/** Help texts: one per command, printed by --help. */
final class Usage {
  private Usage() {}

  record Spec(String text, Set<String> flags, Set<String> valued, int maxPositional) {}

  static final String MAIN =
      """
      Runtime Supercharger: the gateway in front of PHP worker-mode engines and php-fpm.

      Usage: supercharger <command> [options]

      Commands:
        run            run the gateway in the foreground
        demo           start PHP workers, php-fpm and the gateway, drive traffic, print a summary
        test           run the test suite (launcher only: mvn -B verify)
        canary         show or steer the canary (status, promote, pause, resume, rollback, weight N)
        check-config   validate a config file (exit 2 and a message naming the field if wrong)
        version        print the version, commit and build time
        bench          load a target with a scenario (open loop), optionally soak /status; store a report
        gate           walk the runbook's Go/No-Go checklist against a running gateway (exit 0 = Go)

      Run 'supercharger <command> --help' for a command's options.
      """;

  static final Spec RUN =
      new Spec(
          """
      Usage: supercharger run [--config FILE] [--port N]

      Runs the gateway in the foreground until SIGTERM or Ctrl-C, which drain in-flight requests.
      Without --config the embedded conf/gateway.yaml is used. Environment variables
      RUNTIME_ENDPOINT_SECURITY_* and RUNTIME_WORKER_LIFECYCLE_* override the file.

      Options:
        --config FILE       the gateway config (YAML)
        --port N            listen on this port instead of listen.port
        --event-loops N     event-loop threads (default: one per core)
        --drain-seconds N   how long SIGTERM waits for in-flight requests (default 10)
      """,
          Set.of(),
          Set.of("config", "port", "event-loops", "drain-seconds"),
          0);

  static final Spec CHECK_CONFIG =
      new Spec(
          """
      Usage: supercharger check-config FILE

      Validates FILE (with the environment's overrides) without starting anything. Prints "ok"
      and exits 0, or prints every problem with its field path and exits 2.
      """,
          Set.of(),
          Set.of(),
          1);

  static final Spec VERSION =
      new Spec(
          """
      Usage: supercharger version

      Prints the version, the commit and the build time.
      """,
          Set.of(),
          Set.of(),
          0);

  static final Spec DEMO =
      new Spec(
          """
      Usage: supercharger demo [--seconds N] [--port N] [--no-load] [--canary] [--inject-errors PCT]

      Starts a pool of PHP worker-mode runners (HTTP), a php-fpm pool (FastCGI) and the gateway
      with conf/demo.yaml, drives mixed read and write traffic through it, and prints requests
      per pool against the split, latency per route, and the curl lines for /status and /metrics.
      Ctrl-C or the end of --seconds stops everything the demo started.

      Options:
        --seconds N     how long to drive traffic (default 30)
        --port N        the gateway's port (default 8080)
        --no-load       bring the stack up and wait for Ctrl-C, without traffic
        --canary        run the canary with 5 s windows: worker mode promoted step by step
        --inject-errors PCT
                        make the worker pool fail PCT% of requests (with --canary: a rollback)
        --php-dir DIR   the PHP app and runner (default src/test/php)
        --config FILE   the demo config (default conf/demo.yaml)
      """,
          Set.of("no-load", "canary"),
          Set.of("seconds", "port", "php-dir", "config", "inject-errors"),
          0);

  static final Spec BENCH =
      new Spec(
          """
      Usage: supercharger bench --target URL --scenario FILE [--rate N | --connections N]
                                [--duration 30s] [--out DIR] [--soak --url URL --token-file F]

      Drives the scenario's weighted request mix against URL and stores
      DIR/<timestamp>-<name>/report.json and report.html (tables and charts; opens offline).
      Prints per-route and per-class latency, then the verdict against the SLO policy.
      Exit 0 when the verdict is PASS, 1 when it is FAIL, 2 on a usage or scenario error.

      Load: open loop by default: --rate arrivals per second on a fixed timetable, whatever the
      server does, and each latency counts from the arrival's scheduled time (coordinated
      omission corrected). --connections N alone runs closed loop instead: N clients that each
      wait for their answer (service time; a stall hides itself there).

      Options:
        --target URL          where requests go, e.g. http://127.0.0.1:8080
        --scenario FILE       the request mix (YAML; examples in conf/bench/)
        --rate N              arrivals per second, open loop (default 100)
        --connections N       alone: closed loop with N clients; with --rate: the connection cap
                              (default 64)
        --duration D          how long to send (default 30s; 500ms, 30s, 5m, 2h)
        --timeout D           per-request idle timeout (default 10s)
        --out DIR             where reports go (default bench-reports)
        --config FILE         the gateway config, to name and classify requests by its routes
        --policy FILE         the SLO policy (default policies/slo.yaml, else the one in the jar)
        --soak                also sample the gateway's /status: memory per instance, states and
                              recycles, for the memory-trend and recycle-thrash gates
        --url URL             the gateway for --soak (default: --target)
        --token-file F        the /status token for --soak
        --sample-every D      how often --soak reads /status (default 5s)
      """,
          Set.of("soak"),
          Set.of(
              "target",
              "scenario",
              "rate",
              "connections",
              "duration",
              "timeout",
              "out",
              "config",
              "policy",
              "url",
              "token-file",
              "sample-every"),
          0);

  static final Spec GATE =
      new Spec(
          """
      Usage: supercharger gate --url URL --token-file F [--report DIR] [--json] [--allow-skip]

      Walks the runbook's Go/No-Go checklist against the running gateway at URL; each item is
      PASS, FAIL or SKIP with its evidence:
        /status reachable with engine and build info; /metrics refused without the token from
        outside the allowlist (on loopback the gate connects from 127.0.0.2) and served with it;
        a recent passing bench+soak report; recycle triggers fired; reset counters reported;
        an FPM baseline READY and `canary rollback --dry-run` succeeding; alert rules loading
        (and `promtool check rules` passing when promtool is installed).
      Exit 0 means Go, 1 No-Go. SKIP counts as No-Go unless --allow-skip.

      Options:
        --url URL           the gateway, e.g. http://127.0.0.1:8080
        --token-file F      the endpoint token (X-Runtime-Token)
        --report DIR        a bench --out folder (the newest report in it) or one report's folder
        --max-age D         how old the report may be (default 7d)
        --alerts FILE       the alert rules (default policies/alerts.yaml)
        --allow-skip        Go even when items are SKIP
        --json              print the checklist as JSON
      """,
          Set.of("json", "allow-skip"),
          Set.of("url", "token-file", "report", "max-age", "alerts"),
          0);

  static final Spec CANARY =
      new Spec(
          """
      Usage: supercharger canary status|promote|pause|resume|rollback|weight N --url URL [options]

      Talks to a running gateway's admin API (GET /admin/canary, POST /admin/canary/ACTION).
        status     pool, step, weight, state, time at the step, the last verdicts with reasons
        promote    to the next step
        pause      hold at this step (windows are still judged)
        resume     judge and promote again; after a rollback, from the first step
        rollback   the canary pool's weight to 0 at once: everything on the baseline (FPM)
        weight N   an explicit canary weight, 0 to 100

      Mutations print the state before and after. Exit 0 when done, 1 when the gateway refuses
      or cannot be reached, 2 on a usage error. The runbook's rollback plan:
        supercharger canary rollback --url http://127.0.0.1:8080 --token-file /run/secrets/runtime-token

      Options:
        --url URL           the gateway, e.g. http://127.0.0.1:8080
        --token-file FILE   a file holding the admin token (sent as Authorization: Bearer, never printed)
        --admin-path PATH   the gateway's endpoints.admin (default /admin)
        --dry-run           mutations only: show what would change, change nothing
        --json              print the gateway's JSON answer as it is
      """,
          Set.of("dry-run", "json"),
          Set.of("url", "token-file", "admin-path"),
          2);
}
