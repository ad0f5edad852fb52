package io.supercharger.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte, for tests that need what a real client library
 * hides: pipelining, odd framing, half-written requests, idle connections, exact headers.
 *
 * <pre>{@code
 * try (RawHttp http = RawHttp.connect("127.0.0.1", port)) {
 *     http.send(RawHttp.request("GET", "/echo", Map.of()));
 *     RawHttp.Response response = http.read();
 * }
 * }</pre>
 *
 * Every read has a timeout (10 s by default), so a server that hangs fails the test instead of
 * hanging the build.
 */
public final class RawHttp implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_LINE = 65536;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawHttp connect(String host, int port) {
    return connect(host, port, DEFAULT_TIMEOUT);
  }

  public static RawHttp connect(String host, int port, Duration readTimeout) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) readTimeout.toMillis());
      socket.setSoTimeout((int) readTimeout.toMillis());
      socket.setTcpNoDelay(true);
      return new RawHttp(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    }
  }

  /**
   * A request with Host (unless given), the headers in order, and Content-Length when a body is
   * given.
   */
  public static String request(String method, String target, Map<String, String> headers) {
    return request(method, target, headers, null);
  }

  public static String request(
      String method, String target, Map<String, String> headers, String body) {
    StringBuilder request =
        new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("host"))) {
      request.append("Host: test\r\n");
    }
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    if (body != null) {
      request
          .append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.ISO_8859_1).length)
          .append("\r\n");
    }
    return request.append("\r\n").append(body == null ? "" : body).toString();
  }

  /** Writes the text as ISO-8859-1, that is byte for byte. */
  public RawHttp send(String raw) {
    return send(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] raw) {
    try {
      out.write(raw);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("write failed", e);
    }
  }

  /** Reads one response (skipping 1xx interim responses) to a request that was not HEAD. */
  public Response read() {
    return read(false);
  }

  /** Reads one response to a HEAD request: headers only, whatever Content-Length says. */
  public Response readHead() {
    return read(true);
  }

  public Response read(boolean toHead) {
    try {
      while (true) {
        Response head = readHeaders();
        if (head.status() >= 100 && head.status() < 200) {
          continue;
        }
        byte[] body =
            toHead || head.status() == 204 || head.status() == 304 ? new byte[0] : readBody(head);
        return new Response(head.version(), head.status(), head.reason(), head.headers(), body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading a response failed", e);
    }
  }

  /**
   * Whether the peer closed the connection: true on end of stream or reset, false if a byte arrived
   * or nothing happened within {@code timeout}.
   */
  public boolean awaitClosedByPeer(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private Response readHeaders() throws IOException {
    String statusLine = readLine();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("malformed status line: " + statusLine);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + line);
      }
      headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
    return new Response(
        parts[0],
        Integer.parseInt(parts[1]),
        parts.length > 2 ? parts[2] : "",
        headers,
        new byte[0]);
  }

  private byte[] readBody(Response head) throws IOException {
    if (head.header("transfer-encoding")
        .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
        .orElse(false)) {
      return readChunked();
    }
    Optional<String> length = head.header("content-length");
    if (length.isPresent()) {
      return readExactly(Integer.parseInt(length.get().trim()));
    }
    return in.readAllBytes(); // framed by the connection closing
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailer fields: not needed by any test yet
        }
        return body.toByteArray();
      }
      body.write(readExactly(size));
      if (!readLine().isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  /** A line ending in CRLF (a bare LF is accepted), without the line ending. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new EOFException("connection closed" + (line.size() > 0 ? " mid-line: " + line : ""));
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a test socket can only fail if it is already broken, which the test saw already.
    }
  }

  /** A response; header lookups ignore case and return the first value. */
  public record Response(
      String version,
      int status,
      String reason,
      List<Map.Entry<String, String>> headers,
      byte[] body) {
    public Optional<String> header(String name) {
      return headers.stream()
          .filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst();
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the server said it closes the connection after this response. */
    public boolean closesConnection() {
      return header("connection")
          .map(v -> v.toLowerCase(Locale.ROOT).contains("close"))
          .orElse(false);
    }
  }
}
