package io.supercharger.fastcgi;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving FPM stand-in: a raw TCP server that reads requests (up to the empty STDIN record)
 * and answers as the scenario says. Counts connections and complete requests.
 */
final class RawFcgiServer implements AutoCloseable {

  /** What to do with request number {@code n} (0-based, over all connections) on {@code socket}. */
  interface Scenario {
    void onRequest(NetSocket socket, int n);
  }

  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  private final NetServer server;

  RawFcgiServer(Vertx vertx, Scenario scenario) throws Exception {
    server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  connections.incrementAndGet();
                  Buffer[] pending = {Buffer.buffer()};
                  socket.handler(
                      data -> {
                        pending[0].appendBuffer(data);
                        while (pending[0].length() >= 8) {
                          int type = pending[0].getUnsignedByte(1);
                          int length =
                              pending[0].getUnsignedShort(4) + pending[0].getUnsignedByte(6);
                          if (pending[0].length() < 8 + length) {
                            return;
                          }
                          pending[0] = pending[0].getBuffer(8 + length, pending[0].length());
                          if (type == FcgiRecords.STDIN && length == 0) {
                            scenario.onRequest(socket, requests.getAndIncrement());
                          }
                        }
                      });
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  static Buffer stdout(String text) {
    Buffer content = Buffer.buffer(text);
    return FcgiRecords.appendRecord(
        Buffer.buffer(), FcgiRecords.STDOUT, 1, content, 0, content.length());
  }

  static Buffer okResponse(String body) {
    return stdout("Content-Type: text/plain\r\n\r\n" + body)
        .appendBuffer(FcgiRecords.endRequest(1, 0, 0));
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
