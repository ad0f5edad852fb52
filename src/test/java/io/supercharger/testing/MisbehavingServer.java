package io.supercharger.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP upstream that misbehaves on purpose. It reads one request head per connection and then
 * does what its {@link Behaviour} says. Readiness probes (connect, then close) are harmless.
 */
public final class MisbehavingServer implements AutoCloseable {
  /** What to do with a request head; the raw head is passed for servers that echo or inspect it. */
  @FunctionalInterface
  public interface Behaviour {
    void respond(String head, InputStream in, OutputStream out) throws IOException;
  }

  public static final Behaviour HANG = (head, in, out) -> in.read();
  public static final Behaviour GARBAGE =
      (head, in, out) -> out.write("this is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  public static final Behaviour CUT_SHORT =
      (head, in, out) ->
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten!!"
                  .getBytes(StandardCharsets.US_ASCII));

  private final ServerSocket socket;
  private final Behaviour behaviour;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  public final List<String> heads = new CopyOnWriteArrayList<>();

  private MisbehavingServer(Behaviour behaviour) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.behaviour = behaviour;
    Thread acceptor = new Thread(this::acceptLoop, "misbehaving-server-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static MisbehavingServer start(Behaviour behaviour) throws IOException {
    return new MisbehavingServer(behaviour);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        connections.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      heads.add(head);
      behaviour.respond(head, in, s.getOutputStream());
      s.getOutputStream().flush();
    } catch (IOException e) {
      // The gateway closing or resetting the connection is part of these tests.
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2))
              ? state + 1
              : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : connections) {
      s.close();
    }
  }
}
