package io.supercharger.fastcgi;

import io.vertx.core.buffer.Buffer;

/** Receives FPM's STDERR stream (PHP's error_log and warnings); it never goes into the response. */
@FunctionalInterface
public interface StderrSink {

  /** Called on the client's context, once per STDERR chunk as it arrives. */
  void accept(Buffer chunk);

  static StderrSink discard() {
    return chunk -> {};
  }
}
