package io.supercharger.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Signal handling. SIGTERM and SIGINT drain and exit 0 (a shutdown hook would exit 143). SIGHUP is
 * logged and ignored until config reload exists, because HotSpot's default for it is to exit.
 */
final class Signals {
  private static final Logger LOG = Logger.getLogger(Signals.class.getName());

  private Signals() {}

  static void onTerminate(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (stopping.compareAndSet(false, true)) {
              Thread t =
                  new Thread(
                      () -> {
                        stop.run();
                        System.exit(Main.EXIT_OK);
                      },
                      "shutdown");
              t.start();
            }
          });
    }
  }

  static void ignoreHangup() {
    Signal.handle(
        new Signal("HUP"),
        signal ->
            LOG.warning(
                "SIGHUP received: config reload is not available yet; keeping the running config"));
  }
}
