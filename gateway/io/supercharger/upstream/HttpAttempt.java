package io.supercharger.upstream;

import io.supercharger.config.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * One try of one exchange against an HTTP upstream: streams the request body up (with
 * back-pressure, a size limit and a stall timeout), waits for the response head (bounded by
 * response_ms), then relays the response.
 */
final class HttpAttempt {
  private final Vertx vertx;
  private final Exchange exchange;
  private final HttpClientRequest upstream;
  private final Timeouts timeouts;
  private final long maxBodyBytes;
  private final DeadlineQueue deadlines;
  private DeadlineQueue.Entry responseDeadline;
  private BodyWatch bodyWatch;
  private boolean responseArrived;
  private boolean timedOut;
  private boolean bodyDone;

  HttpAttempt(
      Vertx vertx,
      Exchange exchange,
      HttpClientRequest upstream,
      Timeouts timeouts,
      long maxBodyBytes,
      DeadlineQueue deadlines) {
    this.vertx = vertx;
    this.deadlines = deadlines;
    this.exchange = exchange;
    this.upstream = upstream;
    this.timeouts = timeouts;
    this.maxBodyBytes = maxBodyBytes;
  }

  void start() {
    exchange.onCancel(this::cancel);
    upstream.exceptionHandler(err -> {}); // the response future below reports every failure
    upstream
        .response()
        .onComplete(
            ar -> {
              cancelResponseTimer();
              if (exchange.isFinished()) {
                return;
              }
              if (ar.failed()) {
                stopBody();
                exchange.upstreamFailed(
                    timedOut
                        ? new UpstreamException(
                            FailureKind.TIMEOUT, true, "no response within response_ms", ar.cause())
                        // Once the request head went out we cannot prove the upstream did not run
                        // it.
                        : new UpstreamException(
                            FailureKind.RESET, true, "upstream closed the connection", ar.cause()));
                return;
              }
              responseArrived = true;
              HttpUpstream.relayResponse(exchange, ar.result(), this::abandonUpload);
            });
    HttpServerRequest request = exchange.request;
    if (!exchange.hasBody) {
      bodyDone = true;
      upstream.end();
      armResponseDeadline();
      return;
    }
    if (request.getHeader("content-length") == null) {
      upstream.setChunked(true);
    }
    bodyWatch = new BodyWatch(vertx, timeouts.bodyReadMs(), () -> rejectBody(408));
    ClientReplies.continueIfExpected(request);
    request.handler(this::onBodyChunk);
    request.endHandler(
        v -> {
          bodyDone = true;
          bodyWatch.stop();
          upstream.end();
          armResponseDeadline();
        });
    request.resume();
  }

  /**
   * response_ms runs from the end of the request: a slow but steady upload is the client's time
   * (bounded by body_read_ms), not the upstream's.
   */
  private void armResponseDeadline() {
    if (responseArrived || exchange.isFinished()) {
      return;
    }
    responseDeadline =
        deadlines.add(
            () -> {
              responseDeadline = null;
              if (!responseArrived) {
                timedOut = true;
                upstream.reset();
              }
            });
  }

  private void onBodyChunk(Buffer chunk) {
    bodyWatch.touch();
    exchange.addBytesIn(chunk.length());
    if (exchange.bytesIn() > maxBodyBytes) {
      rejectBody(413);
      return;
    }
    upstream.write(chunk);
    if (upstream.writeQueueFull()) {
      exchange.request.pause();
      upstream.drainHandler(v -> exchange.request.resume());
    }
  }

  /** The client's body is too large or stalled: answer if we still can, then give up upstream. */
  private void rejectBody(int status) {
    stopBody();
    cancelResponseTimer();
    exchange.status(status);
    if (!exchange.response.headWritten()) {
      ClientReplies.send(exchange.request, status, ClientReplies.text(status));
    } else {
      exchange.response.reset();
    }
    // Finish first: the reset below fails the upstream response, which must not answer again.
    exchange.finish();
    upstream.reset();
  }

  private void stopBody() {
    bodyDone = true;
    if (bodyWatch != null) {
      bodyWatch.stop();
    }
    exchange.request.handler(null);
    exchange.request.endHandler(null);
  }

  /**
   * The response broke, or ended before the upload: stop reading it and drop the upstream request.
   */
  private void abandonUpload() {
    if (!bodyDone) {
      stopBody();
      upstream.reset();
    }
  }

  private void cancel() {
    stopBody();
    cancelResponseTimer();
    upstream.reset();
  }

  private void cancelResponseTimer() {
    deadlines.cancel(responseDeadline);
    responseDeadline = null;
  }
}
