package io.supercharger.fastcgi;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes the records the gateway sends to FPM (FastCGI 1.0, §3.3 and §5).
 *
 * <p>Every record is padded to a multiple of 8 bytes, as the spec recommends and as nginx does; FPM
 * accepts either.
 */
final class FcgiRecords {

  static final int VERSION = 1;
  static final int BEGIN_REQUEST = 1;
  static final int ABORT_REQUEST = 2;
  static final int END_REQUEST = 3;
  static final int PARAMS = 4;
  static final int STDIN = 5;
  static final int STDOUT = 6;
  static final int STDERR = 7;
  static final int ROLE_RESPONDER = 1;
  static final int FLAG_KEEP_CONN = 1;
  static final int HEADER_LENGTH = 8;
  static final int MAX_CONTENT = 65535;

  private FcgiRecords() {}

  static Buffer beginRequest(int requestId, boolean keepConn) {
    Buffer body =
        Buffer.buffer(8)
            .appendUnsignedShort(ROLE_RESPONDER)
            .appendUnsignedByte((short) (keepConn ? FLAG_KEEP_CONN : 0))
            .appendBytes(new byte[5]);
    return appendRecord(Buffer.buffer(16), BEGIN_REQUEST, requestId, body, 0, 8);
  }

  /**
   * Appends the PARAMS stream for {@code params}, split into records of at most 65535 bytes, then
   * the empty PARAMS record.
   */
  static Buffer appendParams(
      Buffer out, int requestId, Iterable<Map.Entry<String, String>> params) {
    Buffer pairs = Buffer.buffer(1024);
    for (Map.Entry<String, String> p : params) {
      byte[] name = p.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = p.getValue().getBytes(StandardCharsets.UTF_8);
      appendLength(pairs, name.length);
      appendLength(pairs, value.length);
      pairs.appendBytes(name).appendBytes(value);
    }
    appendStream(out, PARAMS, requestId, pairs);
    return appendRecord(out, PARAMS, requestId, null, 0, 0);
  }

  /**
   * STDIN records carrying {@code data} (at most 65535 bytes each); never the terminating empty
   * record.
   */
  static Buffer stdin(int requestId, Buffer data) {
    return appendStream(Buffer.buffer(data.length() + 16), STDIN, requestId, data);
  }

  /** The empty STDIN record that tells FPM the body is complete; sent for an empty body too. */
  static Buffer endOfStdin(int requestId) {
    return appendRecord(Buffer.buffer(8), STDIN, requestId, null, 0, 0);
  }

  static Buffer abortRequest(int requestId) {
    return appendRecord(Buffer.buffer(8), ABORT_REQUEST, requestId, null, 0, 0);
  }

  /** Appends a whole record; public for tests that play the FPM side (STDOUT, END_REQUEST). */
  static Buffer appendRecord(
      Buffer out, int type, int requestId, Buffer content, int from, int length) {
    int padding = (8 - (length & 7)) & 7;
    out.appendUnsignedByte((short) VERSION)
        .appendUnsignedByte((short) type)
        .appendUnsignedShort(requestId)
        .appendUnsignedShort(length)
        .appendUnsignedByte((short) padding)
        .appendUnsignedByte((short) 0);
    if (length > 0) {
      out.appendBuffer(content, from, length);
    }
    if (padding > 0) {
      out.appendBytes(new byte[padding]);
    }
    return out;
  }

  static Buffer endRequest(int requestId, long appStatus, int protocolStatus) {
    Buffer body =
        Buffer.buffer(8)
            .appendUnsignedInt(appStatus)
            .appendUnsignedByte((short) protocolStatus)
            .appendBytes(new byte[3]);
    return appendRecord(Buffer.buffer(16), END_REQUEST, requestId, body, 0, 8);
  }

  private static Buffer appendStream(Buffer out, int type, int requestId, Buffer data) {
    for (int from = 0; from < data.length(); from += MAX_CONTENT) {
      appendRecord(out, type, requestId, data, from, Math.min(MAX_CONTENT, data.length() - from));
    }
    return out;
  }

  /** Name-value pair lengths: one byte below 128, else four bytes with the high bit set (§3.4). */
  private static void appendLength(Buffer out, int length) {
    if (length < 128) {
      out.appendUnsignedByte((short) length);
    } else {
      out.appendInt(length | 0x80000000);
    }
  }
}
