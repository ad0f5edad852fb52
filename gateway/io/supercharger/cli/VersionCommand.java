package io.supercharger.cli;

import io.supercharger.telemetry.BuildInfo;
import java.io.PrintStream;

/** {@code supercharger version}. */
final class VersionCommand {
  int run(Args args, PrintStream out) {
    BuildInfo b = BuildInfo.load();
    out.println(
        "supercharger "
            + b.version()
            + " (commit "
            + b.commit()
            + ", built "
            + b.builtAt()
            + ", java "
            + System.getProperty("java.version")
            + ")");
    return Main.EXIT_OK;
  }
}
