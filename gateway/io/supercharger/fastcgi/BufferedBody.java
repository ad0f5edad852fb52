package io.supercharger.fastcgi;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A request body already read into memory, replayed as a stream. FastCGI needs CONTENT_LENGTH up
 * front, so a chunked request body is collected first (bounded by max_body_bytes).
 */
final class BufferedBody implements ReadStream<Buffer> {
  private final ArrayDeque<Buffer> chunks;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private boolean paused = true;
  private boolean ended;

  BufferedBody(ArrayDeque<Buffer> chunks) {
    this.chunks = chunks;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    flush();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void flush() {
    while (!paused && handler != null && !chunks.isEmpty()) {
      handler.handle(chunks.poll());
    }
    if (!paused && chunks.isEmpty() && !ended && endHandler != null) {
      ended = true;
      endHandler.handle(null);
    }
  }
}
