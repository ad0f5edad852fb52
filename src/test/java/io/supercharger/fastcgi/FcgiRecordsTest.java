package io.supercharger.fastcgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FcgiRecordsTest {

  /** Minimal reader of what we encode: (type, content) per record, padding skipped. */
  private static List<Object[]> records(Buffer b) {
    List<Object[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < b.length()) {
      assertEquals(1, b.getUnsignedByte(pos));
      int len = b.getUnsignedShort(pos + 4);
      int pad = b.getUnsignedByte(pos + 6);
      assertEquals(0, (len + pad) % 8, "records are padded to 8 bytes");
      out.add(new Object[] {(int) b.getUnsignedByte(pos + 1), b.getBuffer(pos + 8, pos + 8 + len)});
      pos += 8 + len + pad;
    }
    return out;
  }

  private static Map<String, String> decodePairs(Buffer b) {
    Map<String, String> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < b.length()) {
      int[] lens = new int[2];
      for (int i = 0; i < 2; i++) {
        if ((b.getByte(pos) & 0x80) == 0) {
          lens[i] = b.getUnsignedByte(pos++);
        } else {
          lens[i] = b.getInt(pos) & 0x7fffffff;
          pos += 4;
        }
      }
      out.put(b.getString(pos, pos + lens[0]), b.getString(pos + lens[0], pos + lens[0] + lens[1]));
      pos += lens[0] + lens[1];
    }
    return out;
  }

  @Test
  void beginRequestCarriesResponderRoleAndKeepConnFlag() {
    Buffer content = (Buffer) records(FcgiRecords.beginRequest(1, true)).get(0)[1];
    assertEquals(1, content.getUnsignedShort(0));
    assertEquals(1, content.getUnsignedByte(2));
    assertEquals(
        0, ((Buffer) records(FcgiRecords.beginRequest(1, false)).get(0)[1]).getUnsignedByte(2));
  }

  @Test
  void paramsWithShortAndLongNamesAndValuesRoundTripAcrossRecords() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("A", "b");
    params.put("N".repeat(127), "v".repeat(128));
    params.put("L".repeat(300), "x".repeat(70_000)); // forces a second PARAMS record
    List<Object[]> recs = records(FcgiRecords.appendParams(Buffer.buffer(), 1, params.entrySet()));
    Buffer joined = Buffer.buffer();
    for (Object[] r : recs) {
      assertEquals(FcgiRecords.PARAMS, r[0]);
      assertTrue(((Buffer) r[1]).length() <= 65535);
      joined.appendBuffer((Buffer) r[1]);
    }
    assertEquals(
        0,
        ((Buffer) recs.get(recs.size() - 1)[1]).length(),
        "the PARAMS stream ends with an empty record");
    assertTrue(recs.size() >= 3);
    assertEquals(params, decodePairs(joined));
  }

  @Test
  void stdinIsSplitAt65535AndEndsWithTheEmptyRecord() {
    Buffer data = Buffer.buffer(new byte[65535 * 2 + 1]);
    List<Object[]> recs = records(FcgiRecords.stdin(1, data));
    assertEquals(
        List.of(65535, 65535, 1), recs.stream().map(r -> ((Buffer) r[1]).length()).toList());
    List<Object[]> end = records(FcgiRecords.endOfStdin(1));
    assertEquals(1, end.size());
    assertEquals(FcgiRecords.STDIN, end.get(0)[0]);
    assertEquals(0, ((Buffer) end.get(0)[1]).length());
    assertEquals(FcgiRecords.ABORT_REQUEST, records(FcgiRecords.abortRequest(1)).get(0)[0]);
  }

  /** Guards the decoder against records straddling reads anywhere: header, content or padding. */
  @ParameterizedTest(name = "split every {0} bytes")
  @ValueSource(ints = {1, 3, 7, 8, 9, 13, 4096, 100_000})
  void decoderHandlesArbitrarySplitsAndPadding(int step) {
    Buffer wire = Buffer.buffer();
    Buffer out = Buffer.buffer(new byte[70_000]);
    for (int i = 0; i < out.length(); i++) {
      out.setByte(i, (byte) i);
    }
    Buffer err = Buffer.buffer("warn!"); // 5 bytes: 3 bytes of padding
    wire.appendBuffer(
        FcgiRecords.stdin(1, out)
            .setUnsignedByte(1, (short) FcgiRecords.STDOUT)
            .setUnsignedByte(8 + 65535 + 1 + 1, (short) FcgiRecords.STDOUT));
    FcgiRecords.appendRecord(wire, FcgiRecords.STDERR, 1, err, 0, err.length());
    wire.appendBuffer(FcgiRecords.endRequest(1, 7, 0));

    Buffer stdout = Buffer.buffer();
    Buffer stderr = Buffer.buffer();
    long[] end = {-1, -1};
    FcgiRecordDecoder decoder =
        new FcgiRecordDecoder(
            1,
            new FcgiRecordDecoder.Listener() {
              public void onStdout(Buffer chunk) {
                stdout.appendBuffer(chunk);
              }

              public void onStderr(Buffer chunk) {
                stderr.appendBuffer(chunk);
              }

              public void onEndRequest(long appStatus, int protocolStatus) {
                end[0] = appStatus;
                end[1] = protocolStatus;
              }
            });
    for (int pos = 0; pos < wire.length(); pos += step) {
      decoder.feed(wire.getBuffer(pos, Math.min(wire.length(), pos + step)));
    }
    assertArrayEquals(out.getBytes(), stdout.getBytes());
    assertEquals("warn!", stderr.toString());
    assertArrayEquals(new long[] {7, 0}, end);
  }

  @Test
  void decoderRejectsWrongVersionWrongIdAndDataAfterEnd() {
    FcgiRecordDecoder.Listener ignore =
        new FcgiRecordDecoder.Listener() {
          public void onStdout(Buffer chunk) {}

          public void onStderr(Buffer chunk) {}

          public void onEndRequest(long appStatus, int protocolStatus) {}
        };
    Buffer badVersion = RawFcgiServer.stdout("x").setUnsignedByte(0, (short) 2);
    assertThrows(FastCgiException.class, () -> new FcgiRecordDecoder(1, ignore).feed(badVersion));
    Buffer otherId = RawFcgiServer.stdout("x").setUnsignedShort(2, 9);
    assertThrows(FastCgiException.class, () -> new FcgiRecordDecoder(1, ignore).feed(otherId));
    Buffer afterEnd = FcgiRecords.endRequest(1, 0, 0).appendBuffer(RawFcgiServer.stdout("x"));
    assertEquals(
        FastCgiException.Kind.PROTOCOL,
        assertThrows(FastCgiException.class, () -> new FcgiRecordDecoder(1, ignore).feed(afterEnd))
            .kind());
  }
}
