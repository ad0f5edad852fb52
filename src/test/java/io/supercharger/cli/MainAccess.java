package io.supercharger.cli;

import java.io.PrintStream;

/** Lets tests in other packages run a CLI command in-process, as Main would. */
public final class MainAccess {
  private MainAccess() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Main.run(args, out, err);
  }
}
