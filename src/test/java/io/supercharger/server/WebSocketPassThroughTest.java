package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.MisbehavingServer;
import io.supercharger.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An Upgrade: websocket request becomes a byte tunnel to the upstream, in both directions. */
class WebSocketPassThroughTest {
  /** Answers the upgrade with 101, then echoes every byte back. */
  static final MisbehavingServer.Behaviour UPGRADE_THEN_ECHO =
      (head, in, out) -> {
        if (!head.toLowerCase().contains("upgrade: websocket")) {
          out.write(
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          return;
        }
        out.write(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      };

  @Test
  void upgradeIsTunnelledBothWays() throws Exception {
    try (MisbehavingServer upstream = MisbehavingServer.start(UPGRADE_THEN_ECHO);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            pools: {app: {engine: roadrunner, instances: ["%s"]}}
            """
                    .formatted(upstream.address()));
        Socket client = new Socket("127.0.0.1", gw.port())) {
      client.setSoTimeout(5000);
      OutputStream out = client.getOutputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: app\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      assertTrue(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);
      String upstreamSaw = upstream.heads.get(0).toLowerCase();
      assertTrue(
          upstreamSaw.contains("upgrade: websocket") && upstreamSaw.contains("sec-websocket-key"),
          upstreamSaw);
      for (String message : new String[] {"hello", "x".repeat(100_000)}) {
        out.write(message.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] echoed = in.readNBytes(message.length());
        assertEquals(message, new String(echoed, StandardCharsets.US_ASCII));
      }
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
