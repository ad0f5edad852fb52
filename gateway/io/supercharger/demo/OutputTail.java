package io.supercharger.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains a child's output on a daemon thread, so that the child never blocks on a full pipe, and
 * keeps the last lines for error messages and for tests that wait for a log line.
 */
public final class OutputTail {
  private static final int MAX_LINE_BYTES = 8192;

  private final int capacity;
  private final Deque<String> lines = new ArrayDeque<>();
  private long linesSeen;
  private boolean ended;

  private OutputTail(int capacity) {
    this.capacity = capacity;
  }

  /** Starts draining {@code output}; each line also goes to {@code forwardTo} at INFO, if given. */
  static OutputTail drain(InputStream output, String name, int capacity, Logger forwardTo) {
    OutputTail tail = new OutputTail(capacity);
    Thread thread = new Thread(() -> tail.pump(output, name, forwardTo), name + "-output");
    thread.setDaemon(true);
    thread.start();
    return tail;
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  public String text() {
    return String.join("\n", lines());
  }

  /**
   * Waits until a line matching {@code condition} is in the tail (already, or newly arrived).
   * Returns false on timeout or when the output ended without one.
   */
  public synchronized boolean awaitLine(Predicate<String> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long checked = linesSeen - lines.size();
    while (true) {
      long index = linesSeen - lines.size();
      for (String line : lines) {
        if (index++ >= checked && condition.test(line)) {
          return true;
        }
      }
      checked = linesSeen;
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private void pump(InputStream output, String name, Logger forwardTo) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (output) {
      int b;
      while ((b = output.read()) != -1) {
        if (b == '\n') {
          append(line, name, forwardTo);
        } else if (line.size() < MAX_LINE_BYTES) {
          line.write(b);
        }
      }
      if (line.size() > 0) {
        append(line, name, forwardTo);
      }
    } catch (IOException e) {
      // The pipe closes when the child dies or is destroyed: the output simply ends here.
      Logger.getLogger(OutputTail.class.getName()).log(Level.FINE, name + ": output closed", e);
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  private void append(ByteArrayOutputStream buffer, String name, Logger forwardTo) {
    String text = buffer.toString(StandardCharsets.UTF_8).stripTrailing();
    buffer.reset();
    if (forwardTo != null) {
      forwardTo.info(() -> name + ": " + text);
    }
    synchronized (this) {
      lines.addLast(text);
      if (lines.size() > capacity) {
        lines.removeFirst();
      }
      linesSeen++;
      notifyAll();
    }
  }
}
