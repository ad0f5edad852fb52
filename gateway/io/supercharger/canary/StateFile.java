package io.supercharger.canary;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The canary's state on disk, written atomically (temp file, then rename) on every change. */
final class StateFile {
  private static final Logger LOG = Logger.getLogger(StateFile.class.getName());

  private final Path path;

  StateFile(Path path) {
    this.path = path;
  }

  CanaryState load() {
    if (path == null || !Files.isRegularFile(path)) {
      return null;
    }
    try {
      return CanaryState.fromJson(new JsonObject(Files.readString(path)));
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "canary state file " + path + " is unreadable; starting from the config",
          e);
      return null;
    }
  }

  void save(CanaryState state) {
    if (path == null) {
      return;
    }
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, state.toJson().encodePrettily() + "\n");
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "cannot write canary state file " + path + "; a restart would not resume",
          e);
    }
  }
}
