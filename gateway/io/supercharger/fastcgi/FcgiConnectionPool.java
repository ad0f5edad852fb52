package io.supercharger.fastcgi;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The connections of one event loop to one FPM instance. Every socket holds a permit of the shared
 * {@link FcgiInstanceLimit} from connect until its close is seen; the pool releases it in exactly
 * one place, {@link #onClosed}. With keep-alive, finished connections are kept idle (LIFO, so the
 * warmest socket is reused and the coldest times out) or handed straight to a waiter on this loop.
 * Confined to the client's context.
 */
final class FcgiConnectionPool implements FcgiInstanceLimit.IdleReclaimer {

  private final Context context;
  private final NetClient netClient;
  private final SocketAddress address;
  private final FcgiInstanceLimit limit;
  private final FastCgiClientOptions options;
  private final ArrayDeque<FcgiConnection> idle = new ArrayDeque<>();
  private volatile int idleCount;

  FcgiConnectionPool(
      Context context,
      NetClient netClient,
      SocketAddress address,
      FcgiInstanceLimit limit,
      FastCgiClientOptions options) {
    this.context = context;
    this.netClient = netClient;
    this.address = address;
    this.limit = limit;
    this.options = options;
    limit.register(this);
  }

  /**
   * A connection for one request: an idle one when {@code allowReuse}, else a new one within the
   * cap.
   */
  Future<FcgiConnection> acquire(boolean allowReuse) {
    if (allowReuse) {
      FcgiConnection connection;
      while ((connection = takeIdle()) != null) {
        if (!connection.isClosed()) {
          return Future.succeededFuture(connection);
        }
      }
    }
    return limit
        .acquire(context, options.maxWaitMs(), allowReuse && options.keepAlive())
        .compose(handedOver -> handedOver != null ? Future.succeededFuture(handedOver) : connect());
  }

  /**
   * Runs on the next context tick, after the read batch that carried END_REQUEST: when FPM closed
   * the socket right behind END_REQUEST (pm.max_requests reached, or no FCGI_KEEP_CONN), that close
   * is seen first and the socket is never offered to the next request.
   */
  void recycleLater(FcgiConnection connection, boolean reusable) {
    context.runOnContext(v -> recycle(connection, reusable));
  }

  private void recycle(FcgiConnection connection, boolean reusable) {
    if (connection.isClosed()) {
      return;
    }
    if (!reusable || !options.keepAlive()) {
      connection.close();
    } else if (limit.handOver(context, connection)) {
      return;
    } else if (limit.hasWaiters()) {
      connection.close(); // its permit goes to the oldest waiter, which runs on another loop
    } else {
      idle.addLast(connection);
      idleCount = idle.size();
      connection.idleTimer =
          context
              .owner()
              .setTimer(
                  options.idleTimeoutMs(),
                  t -> {
                    connection.idleTimer = -1;
                    connection.close();
                  });
    }
  }

  /** The one place a permit is given back: the socket's close was seen. */
  void onClosed(FcgiConnection connection) {
    if (idle.remove(connection)) {
      idleCount = idle.size();
      cancelIdleTimer(connection);
    }
    limit.release();
  }

  @Override
  public int idleCount() {
    return idleCount;
  }

  @Override
  public void reclaimOne() {
    context.runOnContext(
        v -> {
          FcgiConnection coldest = idle.peekFirst();
          if (coldest != null) {
            coldest.close();
          }
        });
  }

  void close() {
    limit.unregister(this);
    FcgiConnection connection;
    while ((connection = takeIdle()) != null) {
      connection.close();
    }
  }

  private FcgiConnection takeIdle() {
    FcgiConnection connection = idle.pollLast();
    if (connection != null) {
      idleCount = idle.size();
      cancelIdleTimer(connection);
    }
    return connection;
  }

  private void cancelIdleTimer(FcgiConnection connection) {
    if (connection.idleTimer >= 0) {
      context.owner().cancelTimer(connection.idleTimer);
      connection.idleTimer = -1;
    }
  }

  private Future<FcgiConnection> connect() {
    return netClient
        .connect(address)
        .<FcgiConnection>map(socket -> new FcgiConnection(socket, this))
        .recover(
            failure -> {
              limit.release();
              boolean timedOut = failure instanceof ConnectTimeoutException;
              return Future.failedFuture(
                  new FastCgiException(
                      timedOut ? FastCgiException.Kind.TIMEOUT : FastCgiException.Kind.CONNECT,
                      "FastCGI connect to "
                          + address
                          + (timedOut ? " timed out" : " failed: " + failure.getMessage()),
                      false,
                      failure));
            });
  }
}
