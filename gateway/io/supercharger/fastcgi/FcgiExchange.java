package io.supercharger.fastcgi;

import static io.supercharger.fastcgi.FastCgiException.Kind.CANCELLED;
import static io.supercharger.fastcgi.FastCgiException.Kind.PROTOCOL;
import static io.supercharger.fastcgi.FastCgiException.Kind.RESET;
import static io.supercharger.fastcgi.FastCgiException.Kind.TIMEOUT;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/**
 * One request and its response on one connection: writes BEGIN_REQUEST, PARAMS and STDIN (pumping
 * the body with back-pressure), decodes the reply, and completes {@code head} with the response
 * once the CGI header block is parsed. After that, failures go to the body stream. Confined to the
 * client's context.
 */
final class FcgiExchange implements FcgiRecordDecoder.Listener {

  private static final int REQUEST_ID = 1;

  private final Vertx vertx;
  private final FcgiConnection connection;
  private final FastCgiClientOptions options;
  private final CgiParams params;
  private final ReadStream<Buffer> body;
  private final long contentLength;
  private final StderrSink stderr;
  private final Promise<FastCgiResponse> head;
  private final FcgiRecordDecoder decoder = new FcgiRecordDecoder(REQUEST_ID, this);
  private final CgiResponseParser parser;
  private final FcgiBodyStream bodyStream;
  private long headerTimer = -1;
  private long bodyBytesSent;
  private boolean stdinComplete;
  private boolean wroteFirstByte;
  private boolean bodyTouched;
  private boolean responseStarted;
  private boolean done;

  FcgiExchange(
      Vertx vertx,
      FcgiConnection connection,
      FastCgiClientOptions options,
      CgiParams params,
      ReadStream<Buffer> body,
      long contentLength,
      StderrSink stderr,
      Promise<FastCgiResponse> head) {
    this.vertx = vertx;
    this.connection = connection;
    this.options = options;
    this.params = params;
    this.body = body;
    this.contentLength = contentLength;
    this.stderr = stderr;
    this.head = head;
    this.parser = new CgiResponseParser(options.maxHeaderBytes());
    this.bodyStream = new FcgiBodyStream(this::pauseSocket, this::resumeSocket, this::cancel);
  }

  boolean wroteFirstByte() {
    return wroteFirstByte;
  }

  boolean bodyTouched() {
    return bodyTouched;
  }

  boolean responseStarted() {
    return responseStarted;
  }

  void start() {
    connection.attach(this);
    if (connection.isClosed()) {
      // Seen closed before our first byte: FPM cannot have read this request.
      fail(
          new FastCgiException(
              RESET, "FastCGI connection closed before the request was sent", false));
      return;
    }
    NetSocket socket = connection.socket();
    Buffer begin = FcgiRecords.beginRequest(REQUEST_ID, options.keepAlive());
    wroteFirstByte = true;
    Buffer head = FcgiRecords.appendParams(begin, REQUEST_ID, params.asMap().entrySet());
    if (body == null) {
      // The whole request in one write: one syscall here, and FPM reads it in one go.
      socket.write(FcgiRecords.appendRecord(head, FcgiRecords.STDIN, REQUEST_ID, null, 0, 0));
      stdinSent();
    } else {
      socket.write(head);
      pumpBody(socket);
    }
  }

  private void pumpBody(NetSocket socket) {
    body.handler(
        chunk -> {
          bodyTouched = true;
          bodyBytesSent += chunk.length();
          if (bodyBytesSent > contentLength) {
            fail(
                new FastCgiException(
                    PROTOCOL,
                    "request body longer than its declared " + contentLength + " bytes",
                    true));
            return;
          }
          socket.write(FcgiRecords.stdin(REQUEST_ID, chunk));
          if (socket.writeQueueFull()) {
            body.pause();
            socket.drainHandler(
                v -> {
                  if (!done) {
                    body.resume();
                  }
                });
          }
        });
    body.exceptionHandler(
        t ->
            fail(
                new FastCgiException(
                    CANCELLED, "request body failed: " + t.getMessage(), true, t)));
    body.endHandler(
        v -> {
          if (bodyBytesSent != contentLength) {
            fail(
                new FastCgiException(
                    PROTOCOL,
                    "request body of " + bodyBytesSent + " bytes, declared " + contentLength,
                    true));
          } else {
            finishStdin();
          }
        });
    body.resume();
  }

  private void finishStdin() {
    if (!done) {
      connection.socket().write(FcgiRecords.endOfStdin(REQUEST_ID));
      stdinSent();
    }
  }

  /**
   * The response timeout starts once the whole request is sent: a slow but steady upload is the
   * client's time (bounded by body_read_ms), not FPM's.
   */
  private void stdinSent() {
    stdinComplete = true;
    if (!responseStarted) {
      headerTimer =
          vertx.setTimer(
              options.responseTimeoutMs(),
              t -> {
                headerTimer = -1;
                fail(
                    new FastCgiException(
                        TIMEOUT,
                        "no FastCGI response header within " + options.responseTimeoutMs() + " ms",
                        true));
              });
    }
  }

  void onData(Buffer data) {
    responseStarted = true;
    try {
      decoder.feed(data);
    } catch (FastCgiException e) {
      fail(e);
    }
  }

  @Override
  public void onStdout(Buffer chunk) {
    Buffer bodyBytes = parser.feed(chunk);
    if (!head.future().isComplete() && parser.headComplete()) {
      cancelHeaderTimer();
      head.complete(
          new FastCgiResponse(parser.status(), parser.reason(), parser.headers(), bodyStream));
    }
    if (bodyBytes.length() > 0) {
      bodyStream.push(bodyBytes);
    }
  }

  @Override
  public void onStderr(Buffer chunk) {
    stderr.accept(chunk);
  }

  @Override
  public void onEndRequest(long appStatus, int protocolStatus) {
    if (protocolStatus != 0) {
      // FCGI_CANT_MPX_CONN, FCGI_OVERLOADED or FCGI_UNKNOWN_ROLE: FPM refused the request.
      throw new FastCgiException(
          PROTOCOL, "FastCGI END_REQUEST with protocol status " + protocolStatus, true);
    }
    parser.finish();
    done = true;
    cancelHeaderTimer();
    detachBody();
    connection.socket().resume();
    connection.detach(stdinComplete);
    bodyStream.end();
  }

  void onConnectionClosed(Throwable cause) {
    String why = cause == null ? "" : ": " + cause.getMessage();
    fail(
        new FastCgiException(
            RESET, "FastCGI connection closed before END_REQUEST" + why, wroteFirstByte, cause));
  }

  void cancel() {
    fail(new FastCgiException(CANCELLED, "FastCGI request cancelled", wroteFirstByte));
  }

  private void fail(FastCgiException failure) {
    if (done) {
      return;
    }
    done = true;
    cancelHeaderTimer();
    detachBody();
    if (!connection.isClosed() && wroteFirstByte) {
      connection.socket().write(FcgiRecords.abortRequest(REQUEST_ID));
    }
    connection.close();
    if (!head.tryFail(failure)) {
      bodyStream.fail(failure);
    }
  }

  private void detachBody() {
    if (body != null && wroteFirstByte) {
      body.handler(null);
      body.exceptionHandler(null);
      body.endHandler(null);
    }
  }

  private void pauseSocket() {
    if (!done) {
      connection.socket().pause();
    }
  }

  private void resumeSocket() {
    if (!done) {
      connection.socket().resume();
    }
  }

  private void cancelHeaderTimer() {
    if (headerTimer >= 0) {
      vertx.cancelTimer(headerTimer);
      headerTimer = -1;
    }
  }
}
