package io.supercharger.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A PHP child process listening on host:port: its output drained, registered for stopping at JVM
 * exit. Subclasses say how to launch it.
 */
public class PhpProcess implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PhpProcess.class.getName());

  /** Child output goes here; raise or lower this logger to see or hide PHP's log lines. */
  private static final Logger OUTPUT_LOG = Logger.getLogger("io.supercharger.demo.php");

  private static final Duration CONNECT_POLL = Duration.ofMillis(25);
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
  private static final int TAIL_LINES = 200;

  private final String name;
  private final String host;
  private final int port;
  private final Process process;
  private final OutputTail output;

  protected PhpProcess(String name, ProcessBuilder builder, String host, int port) {
    this.name = name;
    this.host = host;
    this.port = port;
    // One stream: a single drain thread, and the tail keeps stdout and stderr lines in order.
    builder.redirectErrorStream(true);
    try {
      this.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + builder.command(), e);
    }
    this.output =
        OutputTail.drain(
            process.getInputStream(), name + "[" + process.pid() + "]", TAIL_LINES, OUTPUT_LOG);
    ChildProcesses.register(this);
    LOG.fine(() -> "started " + name + " pid " + process.pid() + ": " + builder.command());
  }

  /** "host:port", with IPv6 hosts in brackets. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes when the process has exited, for whatever reason. */
  public java.util.concurrent.CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  public OutputTail output() {
    return output;
  }

  /**
   * Waits until the port accepts a TCP connection. Fails at once, with the output tail, if the
   * process exits first (a bad config, a taken port), and at the deadline otherwise.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!accepts()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException(
            "interrupted while waiting for " + name + " on " + address());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + " on "
                + address()
                + " not accepting connections after "
                + timeout
                + "; output tail:\n"
                + output.text());
      }
      // Waiting on the exit future instead of sleeping: a dying child ends the wait at once.
      if (awaitExit(CONNECT_POLL).isPresent()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before accepting connections on "
                + address()
                + "; output tail:\n"
                + output.text());
      }
    }
  }

  /** The exit code once the process has exited within {@code timeout}, otherwise empty. */
  public OptionalInt awaitExit(Duration timeout) {
    try {
      return OptionalInt.of(
          process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS).exitValue());
    } catch (TimeoutException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + name + " to exit", e);
    }
  }

  /** Sends SIGTERM and returns at once. */
  public void terminate() {
    // Through the handle, not Process.destroy(): that one also closes our end of the output
    // pipe, and the lines the child logs while shutting down would be lost.
    process.toHandle().destroy();
  }

  /**
   * SIGTERM, then SIGKILL if the process is still alive after {@code grace}. Its descendants are
   * killed too if they outlive it: php-fpm workers orphaned by a killed master would otherwise keep
   * running.
   */
  public void stop(Duration grace) {
    List<ProcessHandle> descendants = process.descendants().toList();
    terminate();
    if (awaitExit(grace).isEmpty()) {
      LOG.warning(
          () -> name + " pid " + pid() + " still alive " + grace + " after SIGTERM: killing it");
      process.toHandle().destroyForcibly();
      awaitExit(grace);
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        LOG.warning(() -> name + ": killing leftover child pid " + child.pid());
        child.destroyForcibly();
        waitFor(child, grace);
      }
    }
    ChildProcesses.unregister(this);
  }

  @Override
  public void close() {
    stop(DEFAULT_GRACE);
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + ", " + address() + "]";
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_POLL.toMillis() * 4);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitFor(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "pid " + handle.pid() + " did not exit after SIGKILL", e);
    }
  }
}
