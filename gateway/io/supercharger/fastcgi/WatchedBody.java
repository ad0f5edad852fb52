package io.supercharger.fastcgi;

import io.supercharger.upstream.BodyWatch;
import io.supercharger.upstream.Exchange;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** The client's request body on its way to FPM, with stall detection and byte counting. */
final class WatchedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final BodyWatch watch;
  private final Exchange exchange;

  WatchedBody(ReadStream<Buffer> source, BodyWatch watch, Exchange exchange) {
    this.source = source;
    this.watch = watch;
    this.exchange = exchange;
  }

  void stopWatching() {
    watch.stop();
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(
        handler == null
            ? null
            : chunk -> {
              watch.touch();
              exchange.addBytesIn(chunk.length());
              handler.handle(chunk);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(
        endHandler == null
            ? null
            : v -> {
              watch.stop();
              endHandler.handle(v);
            });
    return this;
  }
}
