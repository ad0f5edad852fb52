package io.supercharger.config;

import java.nio.file.Path;

/** Relative paths in a config resolve against the folder of the config file that names them. */
record ConfigPaths(Path baseDir) {
  String resolve(String path) {
    if (path == null || path.isEmpty()) {
      return path;
    }
    return baseDir.resolve(path).normalize().toString();
  }
}
