package io.supercharger.upstream.h1;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's response decoder, told which responses have no body by the request they answer. Netty's
 * client codec pairs responses with requests through a queue that an interim response (103 Early
 * Hints, 100 Continue) also takes from: the answer to a HEAD after an interim response would then
 * wait for a body that never comes. One request is in flight per connection here, so the
 * connection's current method is the answer.
 */
final class ResponseDecoder extends HttpResponseDecoder {
  private final H1Connection connection;

  ResponseDecoder(HttpDecoderConfig config, H1Connection connection) {
    super(config);
    this.connection = connection;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    int status = ((HttpResponse) msg).status().code();
    if (status >= 200 && connection.answersHead()) {
      return true;
    }
    return super.isContentAlwaysEmpty(msg);
  }
}
