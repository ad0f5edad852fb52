package io.supercharger.cli;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code supercharger check-config FILE}: validation without starting anything. */
final class CheckConfigCommand {
  int run(Args args, PrintStream out, PrintStream err) {
    if (args.positional().isEmpty()) {
      throw new Args.UsageException("which file? usage: supercharger check-config FILE");
    }
    GatewayConfig config = ConfigLoader.load(Path.of(args.positional().get(0)), System.getenv());
    out.println(
        "ok: "
            + args.positional().get(0)
            + " ("
            + config.pools().size()
            + " pools, "
            + config.routes().size()
            + " routes, security "
            + config.security().effectiveMode()
            + ")");
    return Main.EXIT_OK;
  }
}
