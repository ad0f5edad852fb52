package io.supercharger.upstream;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.supercharger.config.Timeouts;
import io.supercharger.upstream.h1.H1Connection;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.HostAndPort;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One try of one exchange against an HTTP upstream: streams the request body up (with
 * back-pressure, a size limit and a stall timeout), waits for the response head (bounded by
 * response_ms), then relays the response.
 */
final class HttpAttempt implements H1Connection.ResponseListener {
  private final Vertx vertx;
  private final Exchange exchange;
  private final H1Connection upstream;
  private final Timeouts timeouts;
  private final long maxBodyBytes;
  private final DeadlineQueue deadlines;
  private DeadlineQueue.Entry responseDeadline;
  private BodyWatch bodyWatch;
  private boolean responseArrived;
  private boolean timedOut;
  private boolean bodyDone;

  /** The connection failed before a response head: this attempt is over. */
  private boolean failed;

  HttpAttempt(
      Vertx vertx,
      Exchange exchange,
      H1Connection upstream,
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
    HttpServerRequest request = exchange.request;
    HttpHeaders headers = upstreamHeaders();
    upstream.send(
        HttpMethod.valueOf(request.method().name()),
        request.uri(),
        headers,
        exchange.hasBody,
        this);
    if (failed) {
      return; // the write failed at once: the exchange was answered or went to another attempt
    }
    if (!exchange.hasBody) {
      bodyDone = true;
      armResponseDeadline();
      return;
    }
    bodyWatch = new BodyWatch(vertx, timeouts.bodyReadMs(), () -> rejectBody(408));
    ClientReplies.continueIfExpected(request);
    request.handler(this::onBodyChunk);
    request.endHandler(
        v -> {
          bodyDone = true;
          bodyWatch.stop();
          upstream.endBody(this);
          armResponseDeadline();
        });
    request.resume();
  }

  /** The exchange's end-to-end headers, with the Host and body framing an HTTP/1.1 hop needs. */
  private HttpHeaders upstreamHeaders() {
    MultiMap built = exchange.upstreamHeaders;
    HttpHeaders headers;
    if (built instanceof HttpHeaders netty) {
      headers = netty; // Vert.x's header map is a Netty one too: no copy
    } else {
      headers = new DefaultHttpHeaders();
      for (Map.Entry<String, String> h : built) {
        headers.add(h.getKey(), h.getValue());
      }
    }
    if (!headers.contains(HttpHeaderNames.HOST)) {
      HostAndPort authority = exchange.request.authority();
      headers.set(
          HttpHeaderNames.HOST,
          authority != null ? authority.toString() : exchange.instance().addressText());
    }
    if (exchange.hasBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return headers;
  }

  @Override
  public void onResponse(HttpResponse head) {
    cancelResponseTimer();
    if (exchange.isFinished()) {
      upstream.reset(this);
      return;
    }
    responseArrived = true;
    try {
      ResponseRelay.relay(
          exchange,
          head.status().code(),
          head.status().reasonPhrase(),
          (MultiMap) head.headers(),
          upstream,
          this::abandonUpload);
    } catch (RuntimeException e) {
      // A head the decoder took but the front response refuses (a status or header value it
      // will not write): nothing reached the client yet, so answer 502 instead of leaving the
      // exchange without an end. The upstream did run the request: no retry.
      stopBody();
      upstream.reset(this);
      exchange.response.headers().clear();
      exchange.upstreamFailed(
          new UpstreamException(FailureKind.PROTOCOL, true, "unusable upstream response", e));
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    failed = true;
    cancelResponseTimer();
    if (exchange.isFinished()) {
      return;
    }
    stopBody();
    exchange.upstreamFailed(failure(cause));
  }

  private UpstreamException failure(Throwable cause) {
    if (timedOut) {
      return new UpstreamException(
          FailureKind.TIMEOUT, true, "no response within response_ms", cause);
    }
    if (cause instanceof TimeoutException) {
      return new UpstreamException(FailureKind.TIMEOUT, true, "upstream idle past idle_ms", cause);
    }
    if (cause instanceof DecoderException || cause instanceof IllegalArgumentException) {
      return new UpstreamException(FailureKind.PROTOCOL, true, "invalid upstream response", cause);
    }
    // Once the request head went out we cannot prove the upstream did not run it.
    return new UpstreamException(FailureKind.RESET, true, "upstream closed the connection", cause);
  }

  /**
   * response_ms runs from the end of the request: a slow but steady upload is the client's time
   * (bounded by body_read_ms), not the upstream's.
   */
  private void armResponseDeadline() {
    if (responseArrived || failed || exchange.isFinished()) {
      return;
    }
    responseDeadline =
        deadlines.add(
            () -> {
              responseDeadline = null;
              if (!responseArrived) {
                timedOut = true;
                upstream.reset(this);
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
    upstream.writeBody(this, ((BufferInternal) chunk).getByteBuf());
    if (!failed && upstream.writeQueueFull()) {
      exchange.request.pause();
      upstream.drainHandler(this, v -> exchange.request.resume());
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
    upstream.reset(this);
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
      upstream.reset(this);
    }
  }

  private void cancel() {
    stopBody();
    cancelResponseTimer();
    upstream.reset(this);
  }

  private void cancelResponseTimer() {
    deadlines.cancel(responseDeadline);
    responseDeadline = null;
  }
}
