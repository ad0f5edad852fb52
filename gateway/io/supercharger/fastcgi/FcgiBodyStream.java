package io.supercharger.fastcgi;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The response body as a back-pressured {@link ReadStream}. While the consumer has no demand (or no
 * handler yet) chunks queue here and the socket is paused, so at most one socket read is held. It
 * ends only on END_REQUEST; a cut-short response reaches the exception handler, never the end
 * handler. Confined to the client's context.
 */
final class FcgiBodyStream implements ReadStream<Buffer> {

  private final Runnable pauseSource;
  private final Runnable resumeSource;
  private final Runnable onCancel;
  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean endReceived;
  private boolean finished;
  private Throwable failure;
  private boolean draining;

  FcgiBodyStream(Runnable pauseSource, Runnable resumeSource, Runnable onCancel) {
    this.pauseSource = pauseSource;
    this.resumeSource = resumeSource;
    this.onCancel = onCancel;
  }

  void push(Buffer chunk) {
    if (finished || chunk.length() == 0) {
      return;
    }
    pending.add(chunk);
    drain();
    if (!pending.isEmpty()) {
      pauseSource.run();
    }
  }

  void end() {
    endReceived = true;
    drain();
  }

  void fail(Throwable cause) {
    if (finished) {
      return;
    }
    finished = true;
    pending.clear();
    failure = cause;
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  boolean isFinished() {
    return finished;
  }

  /** The consumer gives up: aborts the request and closes the socket. */
  void cancel() {
    if (!finished) {
      onCancel.run();
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    if (handler != null && failure != null) {
      handler.handle(failure); // failed before anyone listened: do not lose it
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
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
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }

  private void drain() {
    if (draining || finished) {
      return;
    }
    draining = true;
    try {
      while (!pending.isEmpty() && demand > 0 && handler != null && !finished) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(pending.poll());
      }
      if (pending.isEmpty() && !finished) {
        if (endReceived && endHandler != null) {
          finished = true;
          endHandler.handle(null);
        } else if (demand > 0 && handler != null) {
          resumeSource.run();
        }
      }
    } finally {
      draining = false;
    }
  }
}
