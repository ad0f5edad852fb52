package io.supercharger.fastcgi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One socket to FPM, carrying one request at a time. It routes the socket's events to the current
 * exchange, or, while idle in the pool, treats any of them as the end of the connection. Confined
 * to the client's context.
 */
final class FcgiConnection {

  private final NetSocket socket;
  private final FcgiConnectionPool pool;
  private FcgiExchange exchange;
  private Throwable lastError;
  private boolean closed;
  private int requestsStarted;
  long idleTimer = -1;

  FcgiConnection(NetSocket socket, FcgiConnectionPool pool) {
    this.socket = socket;
    this.pool = pool;
    socket.handler(this::onData);
    socket.exceptionHandler(t -> lastError = t);
    socket.closeHandler(v -> onClose());
  }

  NetSocket socket() {
    return socket;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Before {@link #attach}: true when an earlier request ran on this socket (FPM may have closed it
   * since).
   */
  boolean isReused() {
    return requestsStarted > 0;
  }

  void attach(FcgiExchange exchange) {
    this.exchange = exchange;
    requestsStarted++;
  }

  /**
   * The exchange reached END_REQUEST; decide about the socket once the current read batch is done.
   */
  void detach(boolean reusable) {
    exchange = null;
    pool.recycleLater(this, reusable);
  }

  void close() {
    exchange = null;
    if (!closed) {
      socket.close();
    }
  }

  private void onData(Buffer data) {
    if (exchange != null) {
      exchange.onData(data);
    } else {
      // FPM never speaks first; bytes on an idle socket mean it is out of step: do not reuse it.
      close();
    }
  }

  private void onClose() {
    closed = true;
    FcgiExchange current = exchange;
    exchange = null;
    pool.onClosed(this);
    if (current != null) {
      current.onConnectionClosed(lastError);
    }
  }
}
