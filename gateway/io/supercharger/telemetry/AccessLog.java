package io.supercharger.telemetry;

import io.supercharger.config.AccessLogConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON access log, one line per request. Event loops only enqueue; one writer thread writes in
 * batches, so a slow disk never stalls the proxy. When the queue is full, lines are dropped and
 * counted rather than blocking a loop.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
  private static final int QUEUE = 65_536;

  private final ArrayBlockingQueue<Entry> queue;
  private final OutputStream out;
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private FlightRecorder recorder;

  private AccessLog(OutputStream out) {
    this.out = out;
    this.queue = out == null ? null : new ArrayBlockingQueue<>(QUEUE);
    if (out == null) {
      this.writer = null;
      return;
    }
    this.writer = new Thread(this::drain, "access-log");
    writer.setDaemon(true);
    writer.start();
  }

  public static AccessLog open(AccessLogConfig config) {
    if (!config.enabled()) {
      return new AccessLog(null);
    }
    if ("stdout".equals(config.path())) {
      return new AccessLog(new FileOutputStream(FileDescriptor.out));
    }
    try {
      Path path = Path.of(config.path());
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      return new AccessLog(
          Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new IllegalStateException(
          "access_log.path: cannot open " + config.path() + ": " + e.getMessage(), e);
    }
  }

  /** Whether lines are built at all: for the log, or for the flight recorder's ring. */
  public boolean enabled() {
    return out != null || recorder != null;
  }

  public void recorder(FlightRecorder recorder) {
    this.recorder = recorder;
  }

  public long dropped() {
    return dropped.get();
  }

  /**
   * Called on an event loop: stamps the entry and hands it over. The JSON line is built by the
   * writer thread (or by the flight recorder when it takes a snapshot), not on the event loop.
   */
  public void log(Entry e) {
    if (!enabled()) {
      return;
    }
    e.epochMillis = System.currentTimeMillis();
    if (recorder != null) {
      recorder.record(e);
    }
    if (out != null && !queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  /** One access-log line as JSON, without the newline. */
  static String format(Entry e) {
    StringBuilder line = new StringBuilder(256).append('{');
    Json.field(line, "ts", Instant.ofEpochMilli(e.epochMillis).toString());
    Json.field(line, "type", "access");
    Json.field(line, "request_id", e.requestId);
    Json.field(line, "client", e.client);
    Json.field(line, "method", e.method);
    Json.field(line, "path", e.path);
    Json.field(line, "route", e.route);
    Json.field(line, "pool", e.pool);
    Json.field(line, "instance", e.instance);
    Json.field(line, "status", e.status);
    line.append(",\"duration_ms\":").append(Math.round(e.durationNanos / 1000.0) / 1000.0);
    Json.field(line, "bytes_in", e.bytesIn);
    Json.field(line, "bytes_out", e.bytesOut);
    if (e.error != null) {
      Json.field(line, "upstream_error", e.error);
    }
    return line.append('}').toString();
  }

  private void drain() {
    List<Entry> batch = new ArrayList<>(512);
    StringBuilder chunk = new StringBuilder(64 * 1024);
    while (!closed || !queue.isEmpty()) {
      try {
        Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        chunk.setLength(0);
        chunk.append(format(first)).append('\n');
        queue.drainTo(batch, 511);
        for (Entry e : batch) {
          chunk.append(format(e)).append('\n');
        }
        batch.clear();
        out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "access log write failed", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      try {
        writer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The fields of one line; a plain holder so the caller fills it without a builder chain. */
  public static final class Entry {
    long epochMillis;
    public String requestId;
    public String client;
    public String method;
    public String path;
    public String route;
    public String pool;
    public String instance;
    public int status;
    public long durationNanos;
    public long bytesIn;
    public long bytesOut;
    public String error;
  }
}
