package io.supercharger.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgiResponseParserTest {

  private static CgiResponseParser parse(String head) {
    CgiResponseParser p = new CgiResponseParser(1024);
    p.feed(Buffer.buffer(head));
    p.finish();
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Content-Type: text/html\\r\\n\\r\\n|200|OK",
        "Status: 404 Not Found\\r\\nContent-Type: text/html\\r\\n\\r\\n|404|Not Found",
        "Status: 503\\n\\n|503|Service Unavailable",
        "Location: https://example.com/\\r\\n\\r\\n|302|Found",
        "Location: /local/path\\r\\n\\r\\n|302|Found",
        "Status: 301 Moved Permanently\\r\\nLocation: /x\\r\\n\\r\\n|301|Moved Permanently",
        "\\r\\n|200|OK",
      })
  void statusAndReason(String head, int status, String reason) {
    CgiResponseParser p = parse(head.replace("\\r", "\r").replace("\\n", "\n"));
    assertEquals(status, p.status());
    assertEquals(reason, p.reason());
    assertFalse(p.headers().contains("Status"));
  }

  /** Guards the incremental scan: the blank line may be split between STDOUT records anywhere. */
  @Test
  void headerBlockSplitAcrossChunksAtEveryPosition() {
    String response =
        "Status: 201 Created\r\nX-A: 1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nbody!";
    for (int cut = 1; cut < response.length(); cut++) {
      CgiResponseParser p = new CgiResponseParser(1024);
      Buffer body = p.feed(Buffer.buffer(response.substring(0, cut)));
      body = body.appendBuffer(p.feed(Buffer.buffer(response.substring(cut))));
      assertTrue(p.headComplete(), "cut at " + cut);
      assertEquals(201, p.status());
      assertEquals(2, p.headers().getAll("set-cookie").size());
      assertEquals("body!", body.toString(), "cut at " + cut);
    }
  }

  @Test
  void missingBlankLineIsAProtocolError() {
    CgiResponseParser p = new CgiResponseParser(1024);
    p.feed(Buffer.buffer("Content-Type: text/html\r\n"));
    assertEquals(
        FastCgiException.Kind.PROTOCOL, assertThrows(FastCgiException.class, p::finish).kind());
  }

  @Test
  void malformedLinesAndOversizedHeadersAreProtocolErrors() {
    assertThrows(FastCgiException.class, () -> parse("no colon here\r\n\r\n"));
    assertThrows(FastCgiException.class, () -> parse("Status: abc\r\n\r\n"));
    CgiResponseParser p = new CgiResponseParser(64);
    assertThrows(FastCgiException.class, () -> p.feed(Buffer.buffer("X-Big: " + "a".repeat(100))));
  }
}
