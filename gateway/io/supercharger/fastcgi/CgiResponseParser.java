package io.supercharger.fastcgi;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses the CGI response (RFC 3875 §6) out of the STDOUT stream: a header block ended by a blank
 * line, then the body. Lines end in CRLF or LF. The header block is bounded; a longer one, a
 * malformed line or STDOUT ending before the blank line is a PROTOCOL error.
 */
final class CgiResponseParser {

  private final int maxHeaderBytes;
  private Buffer head = Buffer.buffer(512);
  private int scanFrom;
  private boolean complete;
  private int status = 200;
  private String reason = "OK";
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

  CgiResponseParser(int maxHeaderBytes) {
    this.maxHeaderBytes = maxHeaderBytes;
  }

  /**
   * Feeds STDOUT bytes and returns those that belong to the body (empty while the head is
   * incomplete).
   */
  Buffer feed(Buffer chunk) {
    if (complete) {
      return chunk;
    }
    head.appendBuffer(chunk);
    int end = findEndOfHead();
    if (end < 0) {
      if (head.length() > maxHeaderBytes) {
        throw protocol("CGI header block longer than " + maxHeaderBytes + " bytes");
      }
      return Buffer.buffer();
    }
    if (end > maxHeaderBytes) {
      throw protocol("CGI header block longer than " + maxHeaderBytes + " bytes");
    }
    parse(head.getString(0, end, StandardCharsets.ISO_8859_1.name()));
    Buffer body = head.getBuffer(end, head.length());
    head = null;
    complete = true;
    return body;
  }

  /** Called at END_REQUEST: a response without its blank line is invalid, not an empty 200. */
  void finish() {
    if (!complete) {
      throw protocol("STDOUT ended before the blank line that ends the CGI header block");
    }
  }

  boolean headComplete() {
    return complete;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  MultiMap headers() {
    return headers;
  }

  /** Index just past the blank line, or -1. Resumes where the last scan stopped. */
  private int findEndOfHead() {
    int length = head.length();
    for (int i = scanFrom; i < length; i++) {
      if (head.getByte(i) != '\n') {
        continue;
      }
      if (i == 0 || (i == 1 && head.getByte(0) == '\r')) {
        return i + 1; // no header lines at all
      }
      if (i + 1 >= length || (head.getByte(i + 1) == '\r' && i + 2 >= length)) {
        scanFrom = i; // the blank line may complete in the next chunk
        return -1;
      }
      if (head.getByte(i + 1) == '\n') {
        return i + 2;
      }
      if (head.getByte(i + 1) == '\r' && head.getByte(i + 2) == '\n') {
        return i + 3;
      }
    }
    scanFrom = length;
    return -1;
  }

  private void parse(String block) {
    String statusValue = null;
    for (String raw : block.split("\n")) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw protocol("malformed CGI header line: " + abbreviate(line));
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        statusValue = value;
      } else {
        headers.add(name, value);
      }
    }
    if (statusValue != null) {
      parseStatus(statusValue);
    } else if (headers.contains("Location")) {
      // RFC 3875 §6.2.3 client redirect: Location without Status means 302. A local redirect
      // ("Location: /path", §6.2.2) would ask us to re-run the request internally; we answer it
      // as a 302 to the client instead, as nginx and Caddy do, because an internal re-dispatch
      // would bypass routing and splitting and could loop.
      status = 302;
      reason = "Found";
    }
  }

  private void parseStatus(String value) {
    int space = value.indexOf(' ');
    String code = space < 0 ? value : value.substring(0, space);
    try {
      status = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      throw protocol("malformed Status header: " + abbreviate(value));
    }
    if (code.length() != 3 || status < 100 || status > 999) {
      throw protocol("malformed Status header: " + abbreviate(value));
    }
    String phrase = space < 0 ? "" : value.substring(space + 1).trim();
    reason = phrase.isEmpty() ? HttpResponseStatus.valueOf(status).reasonPhrase() : phrase;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private static FastCgiException protocol(String message) {
    return new FastCgiException(FastCgiException.Kind.PROTOCOL, message, true);
  }
}
