package io.supercharger.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A worker runner under a supervisor, as systemd or supervisord would keep it: when it exits (its
 * own max-requests, or the gateway's recycle signal) it is started again on the same port.
 */
public final class SupervisedWorker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SupervisedWorker.class.getName());

  private final Path phpDir;
  private final String host;
  private final int port;
  private final int maxRequests;
  private final Map<String, String> env;
  private final AtomicInteger restarts = new AtomicInteger();
  private volatile PhpWorkerProcess current;
  private volatile boolean stopping;

  private SupervisedWorker(
      Path phpDir, String host, int port, int maxRequests, Map<String, String> env) {
    this.phpDir = phpDir;
    this.host = host;
    this.port = port;
    this.maxRequests = maxRequests;
    this.env = env;
  }

  public static SupervisedWorker start(
      Path phpDir, String host, int port, int maxRequests, Map<String, String> env) {
    SupervisedWorker worker = new SupervisedWorker(phpDir, host, port, maxRequests, env);
    worker.launch();
    return worker;
  }

  private void launch() {
    PhpWorkerProcess process = PhpWorkerProcess.start(phpDir, host, port, maxRequests, env);
    current = process;
    process
        .onExit()
        .thenRun(
            () -> {
              if (!stopping) {
                restarts.incrementAndGet();
                LOG.info(
                    "worker on "
                        + process.address()
                        + " (pid "
                        + process.pid()
                        + ") exited; restarting it");
                launch();
              }
            });
  }

  public String address() {
    return current.address();
  }

  public int port() {
    return port;
  }

  /** How many times the supervisor started the runner again. */
  public int restarts() {
    return restarts.get();
  }

  public PhpWorkerProcess current() {
    return current;
  }

  public void awaitReady(Duration timeout) {
    current.awaitReady(timeout);
  }

  @Override
  public void close() {
    stopping = true;
    current.close();
  }
}
