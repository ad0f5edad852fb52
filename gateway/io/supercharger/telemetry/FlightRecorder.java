package io.supercharger.telemetry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runbook's "capture status/metrics and last N logs around spikes": a ring of the last N
 * access-log lines, and snapshots (status, metrics, those lines, and the verdict that fired)
 * written on a rollback, an SLO breach or on demand.
 */
public final class FlightRecorder {
  private static final Logger LOG = Logger.getLogger(FlightRecorder.class.getName());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final java.util.concurrent.atomic.AtomicReferenceArray<AccessLog.Entry> ring;
  private final java.util.concurrent.atomic.AtomicLong written =
      new java.util.concurrent.atomic.AtomicLong();
  private final Path dir;
  private final Clock clock;
  private Supplier<JsonObject> status = JsonObject::new;
  private Supplier<String> metrics = () -> "";

  public FlightRecorder(int lines, Path dir, Clock clock) {
    this.ring = new java.util.concurrent.atomic.AtomicReferenceArray<>(Math.max(1, lines));
    this.dir = dir;
    this.clock = clock;
  }

  /** What a snapshot captures besides the log lines; set once the gateway is assembled. */
  public void sources(Supplier<JsonObject> status, Supplier<String> metrics) {
    this.status = status;
    this.metrics = metrics;
  }

  /**
   * Called for every request, from any event loop: one atomic slot claim, no lock. The line is
   * formatted only when a snapshot is taken.
   */
  public void record(AccessLog.Entry entry) {
    long n = written.getAndIncrement();
    ring.set((int) (n % ring.length()), entry);
  }

  /** The last lines, oldest first (a line being written concurrently may be the older one). */
  JsonArray lastLines() {
    JsonArray out = new JsonArray();
    long total = written.get();
    int count = (int) Math.min(total, ring.length());
    for (long i = total - count; i < total; i++) {
      AccessLog.Entry e = ring.get((int) (i % ring.length()));
      if (e != null) {
        out.add(new JsonObject(AccessLog.format(e)));
      }
    }
    return out;
  }

  /** Writes a snapshot file and returns its path, or null when it could not be written. */
  public Path snapshot(String trigger, JsonObject verdict) {
    JsonObject snapshot =
        new JsonObject()
            .put("taken_at", clock.instant().toString())
            .put("trigger", trigger)
            .put("verdict", verdict)
            .put("status", status.get())
            .put("metrics", metrics.get())
            .put("log_lines", lastLines());
    try {
      Files.createDirectories(dir);
      Path file =
          dir.resolve("snapshot-" + STAMP.format(clock.instant()) + "-" + trigger + ".json");
      Files.writeString(file, snapshot.encodePrettily() + "\n");
      LOG.warning("flight recorder snapshot (" + trigger + ") written to " + file);
      return file;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write flight recorder snapshot to " + dir, e);
      return null;
    }
  }
}
