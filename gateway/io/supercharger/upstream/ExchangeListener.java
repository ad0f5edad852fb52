package io.supercharger.upstream;

/** The dispatcher's side of an exchange: it retries or answers failures, and records outcomes. */
public interface ExchangeListener {
  /** The attempt failed before anything was sent to the client. */
  void onUpstreamFailure(Exchange exchange, UpstreamException failure);

  /** The exchange is over: response sent, or the connection broken. Called once. */
  void onComplete(Exchange exchange);
}
