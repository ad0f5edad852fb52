package io.supercharger.cli;

import io.supercharger.config.ConfigException;
import io.supercharger.telemetry.Logs;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.logging.Level;

/** The entry point: {@code supercharger <command> [options]}. Config errors exit with status 2. */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    Logs.installJson(Level.INFO);
    int status = run(args, System.out, System.err);
    if (status != Integer.MIN_VALUE) {
      System.exit(status);
    }
  }

  /** Runs a command; returns its exit status, or MIN_VALUE when it keeps running (run, demo). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || isHelp(args[0])) {
      out.print(Usage.MAIN);
      return args.length == 0 ? EXIT_USAGE : EXIT_OK;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (command) {
        case "run" -> new RunCommand().run(Args.parse(rest, Usage.RUN, out), out, err);
        case "check-config" ->
            new CheckConfigCommand().run(Args.parse(rest, Usage.CHECK_CONFIG, out), out, err);
        case "version" -> new VersionCommand().run(Args.parse(rest, Usage.VERSION, out), out);
        case "demo" -> new DemoCommand().run(Args.parse(rest, Usage.DEMO, out), out, err);
        case "bench" -> new BenchCommand().run(Args.parse(rest, Usage.BENCH, out), out, err);
        case "gate" -> new GateCommand().run(Args.parse(rest, Usage.GATE, out), out, err);
        case "canary" -> new CanaryCommand().run(Args.parse(rest, Usage.CANARY, out), out, err);
        default -> {
          err.println("supercharger: unknown command '" + command + "'\n");
          err.print(Usage.MAIN);
          yield EXIT_USAGE;
        }
      };
    } catch (Args.HelpShown shown) {
      return EXIT_OK;
    } catch (Args.UsageException e) {
      err.println("supercharger " + command + ": " + e.getMessage());
      return EXIT_USAGE;
    } catch (ConfigException e) {
      err.println("config error:");
      e.problems().forEach(p -> err.println("  " + p));
      return EXIT_USAGE;
    }
  }

  /**
   * Whether {@code run} knows the command; the gate asks before it calls `canary rollback
   * --dry-run`.
   */
  static boolean hasCommand(String command) {
    return java.util.Set.of("run", "check-config", "version", "demo", "bench", "gate", "canary")
        .contains(command);
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }
}
