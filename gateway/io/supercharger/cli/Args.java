package io.supercharger.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal GNU-style option parsing: {@code --name value}, {@code --name=value}, {@code --flag}. */
final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final Usage.Spec spec;

  private Args(Usage.Spec spec) {
    this.spec = spec;
  }

  static Args parse(String[] argv, Usage.Spec spec, PrintStream out) {
    Args args = new Args(spec);
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (Main.isHelp(a)) {
        out.print(spec.text());
        throw new HelpShown();
      }
      if (!a.startsWith("--")) {
        args.positional.add(a);
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (spec.flags().contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        args.options.put(name, "true");
      } else if (spec.valued().contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = argv[++i];
        }
        args.options.put(name, value);
      } else {
        throw new UsageException("unknown option --" + name + " (see --help)");
      }
    }
    if (args.positional.size() > spec.maxPositional()) {
      throw new UsageException(
          "unexpected argument '" + args.positional.get(spec.maxPositional()) + "' (see --help)");
    }
    return args;
  }

  String option(String name) {
    return options.get(name);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  int intOption(String name, int fallback, int min, int max) {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(
          "--" + name + " " + v + " (expected a whole number from " + min + " to " + max + ")");
    }
  }

  List<String> positional() {
    return positional;
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  static final class HelpShown extends RuntimeException {
    HelpShown() {
      super(null, null, false, false);
    }
  }
}
