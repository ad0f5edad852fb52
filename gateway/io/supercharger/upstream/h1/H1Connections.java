package io.supercharger.upstream.h1;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to upstream instances, owned by one event loop: its connections
 * live on that loop, so an exchange never hops threads and nothing here needs a lock. Idle
 * connections are reused most-recent first (the warm ones), and close after {@code idleMs}.
 *
 * <p>The gateway's own client instead of Vert.x's: a pooled connection is taken and given back
 * without a future, a lease or a lock, and the response head is decoded straight into the header
 * map the client response is built from (measured in the README's peer benchmark).
 */
public final class H1Connections {
  /** Where an acquisition ends: on the loop, exactly once. */
  public interface Acquired {
    void connected(H1Connection connection);

    void failed(Throwable cause);
  }

  /** Response heads decode into Vert.x's header map, so relaying them needs no conversion. */
  private static final HttpHeadersFactory VERTX_HEADERS =
      new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
          return HeadersMultiMap.httpHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
          return HeadersMultiMap.httpHeaders();
        }
      };

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final HttpDecoderConfig decoder;
  private final long idleMs;
  private final int maxIdlePerAddress;
  private final Map<Object, ArrayDeque<H1Connection>> idle = new HashMap<>();

  /**
   * @param context the event loop context every exchange using these connections runs on
   */
  public H1Connections(
      Context context,
      int connectTimeoutMs,
      long idleMs,
      int maxInitialLineBytes,
      int maxHeaderBytes,
      int maxIdlePerAddress) {
    ContextInternal owner = (ContextInternal) context;
    VertxInternal vertx = owner.owner();
    this.maxIdlePerAddress = maxIdlePerAddress;
    this.loop = owner.nettyEventLoop();
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxInitialLineBytes)
            .setMaxHeaderSize(maxHeaderBytes)
            .setMaxChunkSize(64 * 1024)
            .setHeadersFactory(VERTX_HEADERS)
            .setTrailersFactory(VERTX_HEADERS);
    this.bootstrap =
        new Bootstrap()
            .group(this.loop)
            .channelFactory(vertx.transport().channelFactory(false))
            .resolver(vertx.nameResolver().nettyAddressResolverGroup())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs);
    this.decoder = decoder;
    this.idleMs = idleMs;
  }

  /**
   * A connection to {@code host:port} for one exchange: an idle one if there is one, else a new
   * one. Must be called on the owning loop.
   */
  public void acquire(Object key, String host, int port, Acquired acquired) {
    ArrayDeque<H1Connection> free = idle.get(key);
    if (free != null) {
      H1Connection c;
      while ((c = free.pollLast()) != null) {
        c.pooled(false);
        if (c.usable()) {
          acquired.connected(c);
          return;
        }
      }
    }
    // A new socket is opened from a task of its own, never inside another socket's event: a
    // socket closed by that event frees its descriptor number, the new socket may get it, and an
    // event of the old socket still pending in the same epoll batch would then reach the new one.
    loop.execute(() -> connect(key, host, port, acquired));
  }

  private void connect(Object key, String host, int port, Acquired acquired) {
    H1Connection connection = new H1Connection(this, key);
    bootstrap
        .clone()
        .handler(new ConnectionInitializer(connection))
        .connect(InetSocketAddress.createUnresolved(host, port))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                acquired.connected(connection);
              } else {
                acquired.failed(f.cause());
              }
            });
  }

  /** Back to the idle set after a clean exchange, unless the set is full. */
  void release(H1Connection connection) {
    ArrayDeque<H1Connection> free = idle.computeIfAbsent(connection.key(), k -> new ArrayDeque<>());
    if (free.size() >= maxIdlePerAddress) {
      connection.close();
      return;
    }
    connection.pooled(true);
    free.addLast(connection);
  }

  /** A connection closed: it must not be handed out again. */
  void forget(H1Connection connection) {
    if (connection.pooled()) {
      connection.pooled(false);
      ArrayDeque<H1Connection> free = idle.get(connection.key());
      if (free != null) {
        free.remove(connection);
      }
    }
  }

  /** The decoder and encoder, the idle timer, then the connection's own handler. */
  private final class ConnectionInitializer extends ChannelInitializer<Channel> {
    private final H1Connection connection;

    ConnectionInitializer(H1Connection connection) {
      this.connection = connection;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast("decoder", new ResponseDecoder(decoder, connection))
          .addLast("encoder", new HttpRequestEncoder())
          .addLast("idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS))
          .addLast("exchange", connection);
    }
  }
}
