package io.supercharger.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A real HTTP server on a free port that answers at once, except during a stall, when it holds
 * every answer.
 */
final class StallingServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServerRequest> held = new ArrayList<>();
  private final HttpServer server;
  private boolean stalled;
  private long stallAfterMs = -1;
  private long stallMs;

  StallingServer() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onComplete(
                            b -> {
                              if (stallAfterMs >= 0) {
                                startStallTimer();
                              }
                              if (stalled) {
                                held.add(req);
                              } else {
                                req.response().end("ok");
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await();
  }

  /**
   * {@code afterMs} after the first request arrives, hold every answer for {@code stallMs}, then
   * release them all. Counting from the first request keeps the stall inside the run, however slow
   * the start.
   */
  void stallLater(long afterMs, long stallMs) {
    this.stallMs = stallMs;
    this.stallAfterMs = afterMs;
  }

  private void startStallTimer() {
    long after = stallAfterMs;
    stallAfterMs = -1;
    vertx.setTimer(
        after,
        t -> {
          stalled = true;
          vertx.setTimer(
              stallMs,
              t2 -> {
                stalled = false;
                held.forEach(r -> r.response().end("ok"));
                held.clear();
              });
        });
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
