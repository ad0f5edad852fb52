package io.supercharger.php;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpFpmProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The php-fpm launcher: config rendered, pool up on a free port, and nothing left running after
 * stop (a leftover master or worker keeps its port and breaks the next run). The FastCGI protocol
 * is covered by the fastcgi package's tests.
 */
class FpmProcessTest {
  private static final Path PHP_DIR = Path.of("src/test/php");
  private static final Duration READY = Duration.ofSeconds(15);

  @Test
  void startsOnAFreePortAcceptsConnectionsAndStopsWithoutLeftovers(@TempDir Path workDir)
      throws Exception {
    int port = FreePort.find();
    List<ProcessHandle> pool;
    try (PhpFpmProcess fpm =
        PhpFpmProcess.start(PHP_DIR, workDir, "127.0.0.1", port, 2, 100, Map.of())) {
      fpm.awaitReady(READY);
      assertTrue(
          fpm.output().awaitLine(line -> line.contains("ready to handle connections"), READY),
          fpm.output().text());
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertTrue(socket.isConnected());
      }
      assertEquals("127.0.0.1:" + port, fpm.address());
      assertTrue(Files.isRegularFile(fpm.frontController()), fpm.frontController().toString());
      assertTrue(Files.readString(fpm.configFile()).contains("pm.max_children = 2"));
      assertTrue(Files.isRegularFile(workDir.resolve("php-fpm.pid")));

      pool = ProcessHandle.of(fpm.pid()).orElseThrow().descendants().toList();
      assertEquals(2, pool.size(), "pm = static forks max_children workers at start");

      fpm.stop(Duration.ofSeconds(10));
      assertFalse(fpm.isAlive());
    }
    for (ProcessHandle worker : pool) {
      worker.onExit().get(10, TimeUnit.SECONDS);
      assertFalse(worker.isAlive(), "worker pid " + worker.pid() + " outlived its master");
    }
    assertThrows(
        IOException.class, () -> new Socket("127.0.0.1", port).close(), "the port is released");
  }

  /** A broken start must fail fast with php-fpm's own words, not time out silently. */
  @Test
  void aTakenPortFailsReadinessWithTheOutputTail(@TempDir Path workDir) throws Exception {
    try (java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        PhpFpmProcess fpm =
            PhpFpmProcess.start(
                PHP_DIR, workDir, "127.0.0.1", taken.getLocalPort(), 1, 0, Map.of())) {
      // The taken port accepts connections itself, so readiness alone cannot tell: wait for the
      // exit.
      assertFalse(fpm.awaitExit(READY).isEmpty(), "php-fpm should exit when it cannot bind");
      assertTrue(
          fpm.output().awaitLine(line -> line.contains("Address already in use"), READY),
          fpm.output().text());
    }
  }
}
