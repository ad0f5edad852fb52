package io.supercharger.upstream.h1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * One keep-alive HTTP/1.1 connection to an upstream instance, on the event loop of the exchanges
 * that use it: one exchange at a time, no pipelining. While an exchange holds it, the connection is
 * also that exchange's response body stream (with back-pressure through auto-read), so a response
 * costs no stream object of its own.
 *
 * <p>Every call from an exchange names its {@link ResponseListener}: a late call from an exchange
 * that is already over (a timer, a drain) must not touch the next exchange on this connection.
 */
public final class H1Connection extends ChannelInboundHandlerAdapter implements ReadStream<Buffer> {
  /** The exchange's side: the response head, or a failure before it. */
  public interface ResponseListener {
    void onResponse(HttpResponse head);

    /** The connection broke, or the upstream answered garbage, before a response head. */
    void onFailure(Throwable cause);
  }

  private final H1Connections owner;
  private final Object key;
  private Channel channel;
  private ResponseListener current;
  private boolean headRequest;
  private boolean headReceived;
  private boolean skippingInterim;
  private boolean requestEnded;
  private boolean keepAlive;
  private boolean pooled;
  private Handler<Buffer> dataHandler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> drainHandler;

  H1Connection(H1Connections owner, Object key) {
    this.owner = owner;
    this.key = key;
  }

  Object key() {
    return key;
  }

  boolean pooled() {
    return pooled;
  }

  void pooled(boolean pooled) {
    this.pooled = pooled;
  }

  boolean usable() {
    return channel != null && channel.isActive() && current == null;
  }

  /** Gives back a connection that was acquired but not used (its exchange ended meanwhile). */
  public void release() {
    if (current == null && !pooled && channel.isActive()) {
      owner.release(this);
    }
  }

  void close() {
    channel.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /**
   * Sends a request head for {@code listener}. Without a body, the request is complete; with one,
   * the caller streams it with {@link #writeBody} and ends it with {@link #endBody}.
   *
   * @param headers the headers to send as they are (the caller framed the body in them)
   */
  public void send(
      io.netty.handler.codec.http.HttpMethod method,
      String uri,
      HttpHeaders headers,
      boolean hasBody,
      ResponseListener listener) {
    current = listener;
    headRequest = io.netty.handler.codec.http.HttpMethod.HEAD.equals(method);
    headReceived = false;
    skippingInterim = false;
    keepAlive = false;
    requestEnded = !hasBody;
    if (!channel.isActive()) {
      // Closed between its acquire and now, its close seen while no exchange owned it. Failed on
      // the next tick: the caller is still setting up this exchange.
      channel
          .eventLoop()
          .execute(
              () -> {
                if (current == listener) {
                  fail(new ClosedChannelException());
                }
              });
      return;
    }
    // The void promise sends a failed write to exceptionCaught, which fails the exchange.
    if (hasBody) {
      channel.writeAndFlush(
          new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers),
          channel.voidPromise());
    } else {
      channel.writeAndFlush(
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              method,
              uri,
              Unpooled.EMPTY_BUFFER,
              headers,
              EmptyHttpHeaders.INSTANCE),
          channel.voidPromise());
    }
  }

  /** Whether the request in flight is a HEAD, whose answer has no body whatever it says. */
  boolean answersHead() {
    return headRequest;
  }

  public void writeBody(ResponseListener listener, ByteBuf chunk) {
    if (current == listener && !requestEnded) {
      channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
    }
  }

  public void endBody(ResponseListener listener) {
    if (current == listener && !requestEnded) {
      requestEnded = true;
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
    }
  }

  /** Whether the socket's send buffer is full: stop reading the client's upload until drained. */
  public boolean writeQueueFull() {
    return !channel.isWritable();
  }

  public void drainHandler(ResponseListener listener, Handler<Void> handler) {
    if (current == listener) {
      drainHandler = handler;
    }
  }

  /**
   * Gives up the exchange: the connection closes (its state is unknown) and the listener, or the
   * body's exception handler, hears about it once.
   */
  public void reset(ResponseListener listener) {
    if (current == listener) {
      channel.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse head) {
      onHead(head);
    }
    if (msg instanceof HttpContent content) {
      onContent(content);
    } else if (!(msg instanceof HttpResponse)) {
      // Raw bytes: the decoder passes them through only after a protocol switch, refused above.
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpResponse head) {
    DecoderResult result = head.decoderResult();
    if (result.isFailure()) {
      fail(result.cause());
      channel.close();
      return;
    }
    int status = head.status().code();
    if (status == 101) {
      // A protocol switch nobody asked for (upgrades go through their own client): the bytes
      // that follow are not HTTP, and the connection can carry nothing else.
      fail(new DecoderException("101 Switching Protocols in answer to a plain request"));
      channel.close();
      return;
    }
    // 100 Continue and 103 Early Hints are not the answer; the head that follows is.
    if (status >= 100 && status < 200) {
      skippingInterim = true;
      return;
    }
    ResponseListener listener = current;
    if (listener == null) {
      channel.close(); // an answer nobody asked for
      return;
    }
    headReceived = true;
    keepAlive = HttpUtil.isKeepAlive(head);
    listener.onResponse(head);
  }

  private void onContent(HttpContent content) {
    ByteBuf data = content.content();
    if (skippingInterim || current == null) {
      data.release();
      if (content instanceof LastHttpContent) {
        skippingInterim = false;
      }
      return;
    }
    if (content.decoderResult().isFailure()) {
      data.release();
      fail(content.decoderResult().cause());
      channel.close();
      return;
    }
    Handler<Buffer> handler = dataHandler;
    if (data.isReadable() && handler != null) {
      // A copy the client side may keep as long as it likes; the pooled buffer goes back now.
      handler.handle(BufferInternal.safeBuffer(data));
    } else {
      data.release();
    }
    if (content instanceof LastHttpContent) {
      onResponseEnd();
    }
  }

  private void onResponseEnd() {
    Handler<Void> end = endHandler;
    boolean reuse = keepAlive && requestEnded && channel.isActive();
    clearExchange();
    if (reuse) {
      owner.release(this);
    } else {
      channel.close();
    }
    if (end != null) {
      end.handle(null);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Handler<Void> drain = drainHandler;
    if (drain != null && channel.isWritable()) {
      drainHandler = null;
      drain.handle(null);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // Idle in the pool: the upstream may drop it any moment. Idle mid-exchange: the response
      // (or the upload) stalled for idle_ms.
      fail(new TimeoutException("upstream connection idle"));
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.forget(this);
    fail(new IOException("upstream closed the connection"));
  }

  private void fail(Throwable cause) {
    ResponseListener listener = current;
    if (listener == null) {
      return;
    }
    boolean afterHead = headReceived;
    Handler<Throwable> onError = exceptionHandler;
    clearExchange();
    if (!afterHead) {
      listener.onFailure(cause);
    } else if (onError != null) {
      onError.handle(cause);
    }
  }

  private void clearExchange() {
    current = null;
    dataHandler = null;
    endHandler = null;
    exceptionHandler = null;
    drainHandler = null;
    if (!channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }

  // The response body, as the stream ResponseRelay reads.

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    dataHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    endHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    if (current != null) {
      channel.config().setAutoRead(false);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (current != null) {
      channel.config().setAutoRead(true);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }
}
