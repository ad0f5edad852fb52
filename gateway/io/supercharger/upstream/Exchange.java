package io.supercharger.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request's context: where it goes, what happened, and when it started. Created by the
 * dispatcher, filled by the upstream, read by metrics and the access log. Lives on one event loop.
 */
public final class Exchange {
  public final HttpServerRequest request;
  public final HttpServerResponse response;
  public final long startNanos;
  public final String clientIp;
  public final String requestId;
  public final String routeName;
  public final int routeIndex;
  public final boolean writeClass;

  /** The request headers to send upstream: end-to-end headers plus the gateway's X-Forwarded-*. */
  public final MultiMap upstreamHeaders;

  public final boolean https;

  /** Whether the client sends a body: looked up once, asked on several steps. */
  public final boolean hasBody;

  private final ExchangeListener listener;
  private Pool pool;
  private Pool admitted;
  private Instance instance;

  /** The last instance tried, kept after a failed attempt released it, for the access log. */
  private Instance lastInstance;

  private int attempts;
  private int status;
  private long bytesIn;
  private long bytesOut;
  private FailureKind failure;
  private boolean aborted;
  private boolean finished;
  private Runnable cancel;
  private Object prepared;
  private Runnable onFinish;

  public Exchange(
      HttpServerRequest request,
      long startNanos,
      String clientIp,
      String requestId,
      String routeName,
      int routeIndex,
      boolean writeClass,
      MultiMap upstreamHeaders,
      boolean https,
      ExchangeListener listener) {
    this.request = request;
    this.response = request.response();
    this.startNanos = startNanos;
    this.clientIp = clientIp;
    this.requestId = requestId;
    this.routeName = routeName;
    this.routeIndex = routeIndex;
    this.writeClass = writeClass;
    this.upstreamHeaders = upstreamHeaders;
    this.https = https;
    this.listener = listener;
    this.hasBody = HttpUpstream.hasBody(request);
  }

  public Pool pool() {
    return pool;
  }

  /** The pool the split and the circuit breaker chose, whether or not an instance was granted. */
  public Pool admitted() {
    return admitted;
  }

  public void admitted(Pool pool) {
    this.admitted = pool;
  }

  public Instance instance() {
    return instance;
  }

  /** Binds the attempt to an instance whose slot was granted. */
  public void assign(Pool pool, Instance instance) {
    this.pool = pool;
    this.instance = instance;
    this.lastInstance = instance;
    attempts++;
    instance.countRequest();
  }

  public Instance lastInstance() {
    return lastInstance;
  }

  public void clearInstance() {
    this.instance = null;
  }

  public int attempts() {
    return attempts;
  }

  public int status() {
    return status;
  }

  public void status(int status) {
    this.status = status;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public void addBytesIn(long n) {
    bytesIn += n;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public void addBytesOut(long n) {
    bytesOut += n;
  }

  public FailureKind failure() {
    return failure;
  }

  public void failure(FailureKind kind) {
    this.failure = kind;
  }

  public boolean aborted() {
    return aborted;
  }

  /** The client went away first: logged as 499, not counted against the upstream. */
  public void markAborted() {
    this.aborted = true;
  }

  public boolean isFinished() {
    return finished;
  }

  /** What to do if the client goes away mid-attempt: reset the upstream request, free the slot. */
  public void onCancel(Runnable cancel) {
    this.cancel = cancel;
  }

  /** The client went away: cancel the attempt and end the exchange as aborted. */
  public void abort() {
    if (finished) {
      return;
    }
    aborted = true;
    Runnable c = cancel;
    cancel = null;
    if (c != null) {
      c.run();
    }
    finish();
  }

  /** What {@link Upstream#prepare} made for this exchange (a spooled body), for its forward. */
  @SuppressWarnings("unchecked")
  public <T> T prepared() {
    return (T) prepared;
  }

  public void prepared(Object prepared, Runnable onFinish) {
    this.prepared = prepared;
    this.onFinish = onFinish;
  }

  public void upstreamFailed(UpstreamException failure) {
    if (!finished) {
      listener.onUpstreamFailure(this, failure);
    }
  }

  public void finish() {
    if (!finished) {
      finished = true;
      if (onFinish != null) {
        onFinish.run();
      }
      listener.onComplete(this);
    }
  }
}
