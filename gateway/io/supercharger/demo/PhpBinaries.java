package io.supercharger.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the PHP executables. Overrides: env {@code SUPERCHARGER_PHP} and {@code
 * SUPERCHARGER_PHP_FPM} (a path). Otherwise PATH is searched, then the sbin directories, where
 * Debian puts php-fpm but which a non-root PATH often lacks.
 */
public final class PhpBinaries {
  public static final String INSTALL_HINT = "apt-get install php8.2-cli php8.2-fpm";

  private static final List<String> PHP_NAMES = List.of("php", "php8.2", "php8");
  private static final List<String> FPM_NAMES = List.of("php-fpm8.2", "php-fpm", "php-fpm8");
  private static final List<Path> SBIN_DIRS =
      List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/sbin"));

  private PhpBinaries() {}

  /** The PHP CLI, or an exception that says what to install. */
  public static Path php() {
    return findPhp().orElseThrow(() -> missing("php (the PHP CLI)", "SUPERCHARGER_PHP"));
  }

  /** The php-fpm binary, or an exception that says what to install. */
  public static Path phpFpm() {
    return findPhpFpm().orElseThrow(() -> missing("php-fpm", "SUPERCHARGER_PHP_FPM"));
  }

  public static Optional<Path> findPhp() {
    return find("SUPERCHARGER_PHP", PHP_NAMES);
  }

  public static Optional<Path> findPhpFpm() {
    return find("SUPERCHARGER_PHP_FPM", FPM_NAMES);
  }

  private static Optional<Path> find(String overrideEnv, List<String> names) {
    String override = System.getenv(overrideEnv);
    if (override != null && !override.isBlank()) {
      Path path = Path.of(override);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    for (String name : names) {
      for (Path dir : searchDirs()) {
        Path candidate = dir.resolve(name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static List<Path> searchDirs() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    dirs.addAll(SBIN_DIRS);
    return dirs;
  }

  private static IllegalStateException missing(String what, String overrideEnv) {
    return new IllegalStateException(
        what
            + " not found on PATH or in /usr/sbin. Install it with: "
            + INSTALL_HINT
            + " (or set "
            + overrideEnv
            + " to its path)");
  }
}
