package io.supercharger.fastcgi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's FastCGI client: one per event loop, created on that loop's context and used only
 * from it. The cap on connections per FPM instance is the {@link FcgiInstanceLimit} the caller
 * passes, one per instance and shared by the clients of all loops.
 */
public final class FastCgiClient {

  private final Vertx vertx;
  private final Context context;
  private final Thread eventLoopThread;
  private final FastCgiClientOptions options;
  private final NetClient netClient;
  private final Map<SocketAddress, FcgiConnectionPool> pools = new HashMap<>();

  public FastCgiClient(Vertx vertx, FastCgiClientOptions options) {
    Context current = Vertx.currentContext();
    if (current == null || !current.isEventLoopContext()) {
      throw new IllegalStateException(
          "create the FastCGI client on the event-loop context that will use it");
    }
    this.vertx = vertx;
    this.context = current;
    this.eventLoopThread = Thread.currentThread();
    this.options = options;
    this.netClient =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
                .setTcpNoDelay(true));
  }

  /**
   * Sends one request. Call on this client's context.
   *
   * @param body the request body, paused by the caller (the client resumes it once a connection is
   *     ready); null for none
   * @param contentLength the exact number of bytes {@code body} will produce; sent as
   *     CONTENT_LENGTH
   * @param idempotent whether the request may be sent twice (see the retry rule in {@link Call})
   */
  public FastCgiCall send(
      SocketAddress instance,
      FcgiInstanceLimit limit,
      CgiParams params,
      ReadStream<Buffer> body,
      long contentLength,
      boolean idempotent,
      StderrSink stderr) {
    // Requests run on duplicated contexts of the same loop, so compare the loop's thread.
    if (!context.isEventLoopContext() || Thread.currentThread() != eventLoopThread) {
      throw new IllegalStateException("FastCgiClient.send must run on the client's own context");
    }
    if (contentLength < 0 || (body == null && contentLength != 0)) {
      throw new IllegalArgumentException(
          "contentLength: " + contentLength + " (expected: >= 0, and 0 without a body)");
    }
    FcgiConnectionPool pool =
        pools.computeIfAbsent(
            instance,
            address -> new FcgiConnectionPool(context, netClient, address, limit, options));
    Call call =
        new Call(
            pool,
            params.withContentLength(contentLength),
            body,
            contentLength,
            idempotent,
            stderr == null ? StderrSink.discard() : stderr);
    // A kept-alive socket may be closed by FPM at any moment between requests (a child reaching
    // pm.max_requests writes END_REQUEST first and shuts the socket down only after the rest of
    // its request shutdown, so the close often lands after we have reused it). A request written
    // into that window is read and dropped by FPM, but the client cannot prove it. Idempotent
    // requests take that risk (they are retried, see Call); a non-idempotent one always gets a
    // fresh connection, where a failure cannot be a stale socket.
    call.attempt(idempotent);
    return call;
  }

  /** Closes the idle connections and the underlying NetClient. */
  public Future<Void> close() {
    pools.values().forEach(FcgiConnectionPool::close);
    pools.clear();
    return netClient.close();
  }

  private final class Call implements FastCgiCall {
    private final FcgiConnectionPool pool;
    private final CgiParams params;
    private final ReadStream<Buffer> body;
    private final long contentLength;
    private final boolean idempotent;
    private final StderrSink stderr;
    private final Promise<FastCgiResponse> result = Promise.promise();
    private FcgiExchange exchange;
    private boolean retried;
    private boolean cancelled;

    Call(
        FcgiConnectionPool pool,
        CgiParams params,
        ReadStream<Buffer> body,
        long contentLength,
        boolean idempotent,
        StderrSink stderr) {
      this.pool = pool;
      this.params = params;
      this.body = body;
      this.contentLength = contentLength;
      this.idempotent = idempotent;
      this.stderr = stderr;
    }

    void attempt(boolean allowReuse) {
      pool.acquire(allowReuse)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  result.tryFail(ar.cause());
                } else if (cancelled) {
                  pool.recycleLater(ar.result(), true); // never used: as good as before
                } else {
                  run(ar.result());
                }
              });
    }

    private void run(FcgiConnection connection) {
      Promise<FastCgiResponse> head = Promise.promise();
      FcgiExchange current =
          new FcgiExchange(vertx, connection, options, params, body, contentLength, stderr, head);
      exchange = current;
      boolean reused = connection.isReused();
      head.future()
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  result.tryComplete(ar.result());
                } else if (shouldRetry(reused, current, (FastCgiException) ar.cause())) {
                  retried = true;
                  attempt(false);
                } else {
                  result.tryFail(ar.cause());
                }
              });
      current.start();
    }

    /*
     * The retry rule. FPM closes a kept-alive connection when a child reaches pm.max_requests or
     * dies; a request sent on such a socket fails without having run. So, once per request, and
     * only on a reused connection (a fresh one failing is a real upstream failure), only for a
     * RESET (not a timeout, protocol error or cancel), and only if nothing of the response
     * arrived and the body was not consumed (we cannot replay it), we retry on a fresh connection:
     *  - an idempotent request always: sending it twice is harmless by definition;
     *  - a non-idempotent request only when FPM provably never read it: the socket was seen closed
     *    before our first byte was written. Once a byte is written, FPM may have run it, even if
     *    the socket then closes without a word (a child killed mid-request looks the same).
     *    (Since send() gives non-idempotent requests fresh connections, this arm is a safety net.)
     * Otherwise the failure stands (RESET → 502).
     */
    private boolean shouldRetry(boolean reused, FcgiExchange failed, FastCgiException failure) {
      return !retried
          && !cancelled
          && reused
          && failure.kind() == FastCgiException.Kind.RESET
          && !failed.responseStarted()
          && !failed.bodyTouched()
          && (idempotent || !failed.wroteFirstByte());
    }

    @Override
    public Future<FastCgiResponse> response() {
      return result.future();
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (exchange != null) {
        exchange.cancel();
      }
      result.tryFail(
          new FastCgiException(
              FastCgiException.Kind.CANCELLED,
              "FastCGI request cancelled",
              exchange != null && exchange.wroteFirstByte()));
    }
  }
}
