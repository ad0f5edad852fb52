package io.supercharger.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 upstream that serves many requests per connection, as a worker engine does, and
 * records what each connection carried and when the gateway closed it. Its {@link Answer} decides
 * each response, and whether the server itself closes afterwards.
 */
public final class KeepAliveServer implements AutoCloseable {
  /** Writes the response to the {@code n}th request (from 0) of a connection. */
  @FunctionalInterface
  public interface Answer {
    /**
     * @return true to keep the connection open for another request
     */
    boolean respond(int n, String head, byte[] body, OutputStream out) throws IOException;
  }

  /** 200 "ok" with a length, keep-alive. */
  public static final Answer OK =
      (n, head, body, out) -> {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
        return true;
      };

  /** One connection's record. */
  public static final class Connection {
    public final AtomicInteger requests = new AtomicInteger();
    public final List<String> heads = new CopyOnWriteArrayList<>();

    /** When the gateway closed it (System.nanoTime), or 0 while open. */
    public volatile long closedByPeerNanos;

    /** Counted down when the gateway closes the connection. */
    public final CountDownLatch closedByPeer = new CountDownLatch(1);

    public volatile long lastResponseNanos;

    void peerClosed() {
      closedByPeerNanos = System.nanoTime();
      closedByPeer.countDown();
    }
  }

  private final ServerSocket socket;
  private final Answer answer;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  public final List<Connection> connections = new CopyOnWriteArrayList<>();

  private KeepAliveServer(Answer answer) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.answer = answer;
    Thread acceptor = new Thread(this::acceptLoop, "keep-alive-server-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static KeepAliveServer start(Answer answer) throws IOException {
    return new KeepAliveServer(answer);
  }

  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** The connections that carried at least one request (readiness probes only connect). */
  public List<Connection> used() {
    return connections.stream().filter(c -> c.requests.get() > 0).toList();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        sockets.add(s);
        Connection c = new Connection();
        connections.add(c);
        Thread t = new Thread(() -> serve(s, c), "keep-alive-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s, Connection c) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int n = 0; ; n++) {
        String head = MisbehavingServer.readHead(in);
        if (head == null) {
          c.peerClosed();
          return;
        }
        byte[] body = readBody(head, in);
        c.heads.add(head);
        c.requests.incrementAndGet();
        boolean keep = answer.respond(n, head, body, out);
        out.flush();
        c.lastResponseNanos = System.nanoTime();
        if (!keep) {
          return;
        }
      }
    } catch (IOException e) {
      c.peerClosed();
    }
  }

  /** A Content-Length body, or a chunked one decoded (extensions and trailers are not used). */
  private static byte[] readBody(String head, InputStream in) throws IOException {
    String lower = head.toLowerCase(Locale.ROOT);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = lower.indexOf("\r\ncontent-length:");
    if (at >= 0) {
      int end = lower.indexOf("\r\n", at + 2);
      int length = Integer.parseInt(lower.substring(at + 17, end).trim());
      body.write(in.readNBytes(length));
    } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
      while (true) {
        int size = Integer.parseInt(line(in).trim(), 16);
        if (size == 0) {
          line(in);
          break;
        }
        body.write(in.readNBytes(size));
        line(in);
      }
    }
    return body.toByteArray();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
