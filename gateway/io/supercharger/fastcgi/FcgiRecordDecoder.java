package io.supercharger.fastcgi;

import io.vertx.core.buffer.Buffer;

/**
 * Incremental decoder of the records FPM sends back for one request: STDOUT, STDERR and
 * END_REQUEST.
 *
 * <p>Records may straddle socket reads anywhere, in the header, the content or the padding. STDOUT
 * and STDERR content is passed on as it arrives, without waiting for the whole record, so a 64 KiB
 * record never has to be held in memory. Anything after END_REQUEST, a wrong version or a wrong
 * request id is a {@link FastCgiException.Kind#PROTOCOL} error.
 */
final class FcgiRecordDecoder {

  interface Listener {
    void onStdout(Buffer chunk);

    void onStderr(Buffer chunk);

    void onEndRequest(long appStatus, int protocolStatus);
  }

  private final int requestId;
  private final Listener listener;
  private final byte[] header = new byte[FcgiRecords.HEADER_LENGTH];
  private final byte[] endBody = new byte[8];
  private int headerFill;
  private int endFill;
  private int type;
  private int contentRemaining;
  private int paddingRemaining;
  private boolean ended;

  FcgiRecordDecoder(int requestId, Listener listener) {
    this.requestId = requestId;
    this.listener = listener;
  }

  boolean ended() {
    return ended;
  }

  void feed(Buffer data) {
    int pos = 0;
    int length = data.length();
    while (pos < length) {
      if (ended) {
        throw protocol("data after END_REQUEST");
      }
      if (headerFill < header.length) {
        int n = Math.min(header.length - headerFill, length - pos);
        data.getBytes(pos, pos + n, header, headerFill);
        headerFill += n;
        pos += n;
        if (headerFill == header.length) {
          startRecord();
        }
      } else if (contentRemaining > 0) {
        int n = Math.min(contentRemaining, length - pos);
        content(data, pos, n);
        contentRemaining -= n;
        pos += n;
        finishIfComplete();
      } else {
        int n = Math.min(paddingRemaining, length - pos);
        paddingRemaining -= n;
        pos += n;
        finishIfComplete();
      }
    }
  }

  private void startRecord() {
    int version = header[0] & 0xff;
    type = header[1] & 0xff;
    int id = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    contentRemaining = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
    paddingRemaining = header[6] & 0xff;
    if (version != FcgiRecords.VERSION) {
      throw protocol("record version " + version + " (expected 1)");
    }
    if (id != requestId) {
      throw protocol("record for request id " + id + " (expected " + requestId + ")");
    }
    if (type == FcgiRecords.END_REQUEST && contentRemaining != 8) {
      throw protocol("END_REQUEST with " + contentRemaining + " content bytes (expected 8)");
    }
    if (type != FcgiRecords.STDOUT
        && type != FcgiRecords.STDERR
        && type != FcgiRecords.END_REQUEST) {
      throw protocol("unexpected record type " + type);
    }
    finishIfComplete();
  }

  private void content(Buffer data, int from, int n) {
    switch (type) {
      case FcgiRecords.STDOUT -> listener.onStdout(data.getBuffer(from, from + n));
      case FcgiRecords.STDERR -> listener.onStderr(data.getBuffer(from, from + n));
      default -> {
        data.getBytes(from, from + n, endBody, endFill);
        endFill += n;
      }
    }
  }

  private void finishIfComplete() {
    if (contentRemaining > 0 || paddingRemaining > 0) {
      return;
    }
    headerFill = 0;
    if (type == FcgiRecords.END_REQUEST) {
      ended = true;
      long appStatus = Buffer.buffer(endBody).getUnsignedInt(0);
      listener.onEndRequest(appStatus, endBody[4] & 0xff);
    }
  }

  private static FastCgiException protocol(String message) {
    return new FastCgiException(FastCgiException.Kind.PROTOCOL, "FastCGI: " + message, true);
  }
}
