package io.supercharger.telemetry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Routes java.util.logging (ours, Vert.x's and Netty's) to stderr as JSON lines. */
public final class Logs {
  private Logs() {}

  public static void installJson(Level level) {
    install(level, new ConsoleHandler());
  }

  /** JSON lines into a file instead (the demo keeps the terminal for its own output). */
  public static void installJsonFile(Level level, Path file) throws IOException {
    install(level, new FileHandler(file.toString(), true));
  }

  private static void install(Level level, Handler handler) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    handler.setFormatter(new JsonLogFormatter());
    handler.setLevel(level);
    root.addHandler(handler);
    root.setLevel(level);
    // Netty reports every reset connection at debug; keep its chatter out of the info stream.
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }
}
