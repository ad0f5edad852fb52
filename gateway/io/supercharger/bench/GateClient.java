package io.supercharger.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gate's HTTP: with the token through java.net.http, and without it from a chosen source
 * address.
 */
final class GateClient {
  record Answer(int status, String body, long millis) {}

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  GateClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  URI base() {
    return base;
  }

  Answer getWithToken(String path) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base.toString().replaceFirst("/+$", "") + path))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (token != null) {
      b.header("X-Runtime-Token", token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * A plain HTTP/1.1 GET with no token, from {@code source} (null: the system's choice). Raw
   * socket, because java.net.http cannot pick the local address.
   */
  Answer getWithoutToken(String path, InetAddress source) throws IOException {
    long t0 = System.nanoTime();
    int port = base.getPort() > 0 ? base.getPort() : 80;
    try (Socket s = new Socket()) {
      if (source != null) {
        s.bind(new InetSocketAddress(source, 0));
      }
      s.connect(new InetSocketAddress(base.getHost(), port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + ":"
                  + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      String[] statusLine = response.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
      int bodyAt = response.indexOf("\r\n\r\n");
      return new Answer(
          status,
          bodyAt < 0 ? "" : response.substring(bodyAt + 4),
          (System.nanoTime() - t0) / 1_000_000);
    }
  }
}
