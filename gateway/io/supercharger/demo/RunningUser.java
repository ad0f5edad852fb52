package io.supercharger.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this JVM runs as root, which changes how php-fpm must be started. */
final class RunningUser {
  private RunningUser() {}

  static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      // No /proc or no unix attribute view (not Linux): the user name is the next best signal.
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
