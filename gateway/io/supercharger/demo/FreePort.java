package io.supercharger.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A loopback port that was free a moment ago. The caller's child process binds it later, so another
 * process could take it in between; on a test machine that race is rare enough, and a child that
 * fails to bind shows it in its output tail.
 */
public final class FreePort {
  private FreePort() {}

  /** Ports already handed out in this JVM: the kernel may offer a just-closed port again. */
  private static final java.util.Set<Integer> GIVEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public static int find() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        if (GIVEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no port on 127.0.0.1 that was not handed out before");
  }
}
