package io.supercharger.fastcgi;

import io.vertx.core.Future;

/** A request in flight: its response head, and a way to give up on it at any time. */
public interface FastCgiCall {

  /** Completes when the CGI header block arrived, or fails with a {@link FastCgiException}. */
  Future<FastCgiResponse> response();

  /**
   * The caller gives up (its client went away): aborts the request and closes its connection. The
   * response, or its body stream, then fails with kind CANCELLED. Does nothing once the body ended.
   */
  void cancel();
}
