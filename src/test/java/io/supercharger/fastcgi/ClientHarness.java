package io.supercharger.fastcgi;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpFpmProcess;
import io.supercharger.testing.PhpStack;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Test driver: FastCGI clients on real event loops, and whole exchanges collected into a {@link
 * Result}.
 */
final class ClientHarness implements AutoCloseable {

  /**
   * src/test/php/fpm-echo: a script that reports what PHP received; the sample app cannot say as
   * much.
   */
  static final Path ECHO_ROOT = Path.of("src/test/php/fpm-echo").toAbsolutePath();

  record Result(int status, String reason, MultiMap headers, Buffer body, String stderr) {
    String text() {
      return body.toString();
    }
  }

  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  final Context[] contexts;
  final FastCgiClient[] clients;

  ClientHarness(FastCgiClientOptions options, int loops) throws Exception {
    contexts = new Context[loops];
    clients = new FastCgiClient[loops];
    for (int i = 0; i < loops; i++) {
      Context ctx = vertx.getOrCreateContext();
      contexts[i] = ctx;
      int n = i;
      onContext(ctx, () -> clients[n] = new FastCgiClient(vertx, options)).get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A real php-fpm (the project's pool template, pm = static) on a free port, ready. The requests
   * go to {@link #ECHO_ROOT}'s script through SCRIPT_FILENAME. {@code -n} (no php.ini): whatever
   * error_log a machine's php.ini names, PHP's error_log() then reaches the request's FCGI_STDERR
   * stream, which the stderr test reads.
   */
  static PhpFpmProcess startFpm(int maxChildren, int maxRequests) throws Exception {
    PhpFpmProcess fpm =
        PhpFpmProcess.start(
            PhpStack.PHP_DIR,
            Files.createTempDirectory("fpm-test"),
            "127.0.0.1",
            FreePort.find(),
            maxChildren,
            maxRequests,
            Map.of(),
            List.of("-n"));
    try {
      fpm.awaitReady(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      fpm.close();
      throw e;
    }
    return fpm;
  }

  static CgiParams params(String method, String uri, MultiMap headers) {
    return CgiParams.builder(ECHO_ROOT.toString(), "index.php")
        .request(method, uri, headers)
        .remote("127.0.0.1", 50000)
        .server("localhost", "127.0.0.1", 8080)
        .build();
  }

  /**
   * Sends on loop {@code loop} and collects the whole response; the future fails with the
   * FastCgiException.
   */
  CompletableFuture<Result> exchange(
      int loop,
      SocketAddress fpm,
      FcgiInstanceLimit limit,
      CgiParams params,
      Supplier<ReadStream<Buffer>> body,
      long length,
      boolean idempotent) {
    CompletableFuture<Result> out = new CompletableFuture<>();
    contexts[loop].runOnContext(
        v -> {
          StringBuffer stderr = new StringBuffer();
          clients[loop]
              .send(
                  fpm,
                  limit,
                  params,
                  body == null ? null : body.get(),
                  length,
                  idempotent,
                  chunk -> stderr.append(chunk.toString()))
              .response()
              .onFailure(out::completeExceptionally)
              .onSuccess(
                  r -> {
                    Buffer all = Buffer.buffer();
                    r.body().exceptionHandler(out::completeExceptionally);
                    r.body().handler(all::appendBuffer);
                    r.body()
                        .endHandler(
                            e ->
                                out.complete(
                                    new Result(
                                        r.status(),
                                        r.reason(),
                                        r.headers(),
                                        all,
                                        stderr.toString())));
                  });
        });
    return out;
  }

  static CompletableFuture<Void> onContext(Context ctx, Runnable action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          action.run();
          done.complete(null);
        });
    return done;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * A paused-by-default body that emits {@code data} in chunks of {@code chunk} bytes, honouring
   * demand.
   */
  static final class ChunkedBody implements ReadStream<Buffer> {
    private final Context context;
    private final byte[] data;
    private final int chunk;
    private int pos;
    private long demand;
    private boolean scheduled;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    ChunkedBody(Context context, byte[] data, int chunk) {
      this.context = context;
      this.data = data;
      this.chunk = chunk;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      demand = 0;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      demand = Math.max(demand, demand + amount);
      schedule();
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
      endHandler = h;
      return this;
    }

    private void schedule() {
      if (!scheduled) {
        scheduled = true;
        context.runOnContext(v -> emit());
      }
    }

    private void emit() {
      scheduled = false;
      while (demand > 0 && pos < data.length && handler != null) {
        int n = Math.min(chunk, data.length - pos);
        Buffer b = Buffer.buffer().appendBytes(data, pos, n);
        pos += n;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(b);
      }
      if (pos >= data.length && endHandler != null) {
        Handler<Void> h = endHandler;
        endHandler = null;
        h.handle(null);
      }
    }
  }
}
