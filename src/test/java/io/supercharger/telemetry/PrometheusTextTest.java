package io.supercharger.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextTest {

  @Test
  void readsSeriesWithAndWithoutLabelsAndSkipsComments() {
    PrometheusText text =
        PrometheusText.parse(
            """
        # HELP rr_http_worker_memory_bytes Worker current memory usage
        # TYPE rr_http_worker_memory_bytes gauge
        rr_http_worker_memory_bytes{pid="101"} 2.5165824e+07
        rr_http_worker_memory_bytes{pid="102"} 31457280

        rr_http_total_workers 2
        """);
    assertEquals(3, text.samples().size());
    assertEquals(31457280, text.max("rr_http_worker_memory_bytes").getAsDouble());
    assertEquals(25165824 + 31457280, text.sum("rr_http_worker_memory_bytes").getAsDouble());
    assertEquals("102", text.samples("rr_http_worker_memory_bytes").get(1).label("pid"));
    assertEquals(2, text.max("rr_http_total_workers").getAsDouble());
    assertTrue(text.max("absent").isEmpty());
    assertTrue(text.sum("absent").isEmpty());
    assertTrue(text.has("rr_http_total_workers"));
    assertFalse(text.has("rr_http"), "has() is the exact name; hasPrefix() is for families");
  }

  /**
   * Label values may hold escaped quotes, backslashes, commas and braces (exposition format 0.0.4).
   */
  @Test
  void labelValuesWithEscapesAndDelimiters() {
    var s =
        PrometheusText.parseLine(
            "frankenphp_total_workers{worker=\"/app/a \\\"b\\\",{c}\\\\\",x=\"1\"} 4");
    assertEquals(Map.of("worker", "/app/a \"b\",{c}\\", "x", "1"), s.labels());
    assertEquals(4, s.value());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "up 1 1712345678000|1.0", // a timestamp after the value is ignored
        "up{} 7|7.0",
        "up{a=\"x\",} 3|3.0", // trailing comma
        "  up   5  |5.0",
        "up +Inf|Infinity",
      })
  void acceptsTheFormatsVariants(String line, double value) {
    assertEquals(value, PrometheusText.parseLine(line.strip()).value());
  }

  /** One unreadable line (an application collector gone wrong) must not cost the other readings. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "up{a=\"x\" 1",
        "up{a=x} 1",
        "up",
        "up one",
        "9up 1",
        "{a=\"x\"} 1",
      })
  void malformedLinesAreSkipped(String line) {
    assertNull(PrometheusText.parseLine(line));
    PrometheusText text = PrometheusText.parse(line + "\nprocess_resident_memory_bytes 42\n");
    assertEquals(42, text.max("process_resident_memory_bytes").getAsDouble());
  }

  @Test
  void nanIsNeverTheMaximum() {
    PrometheusText text = PrometheusText.parse("m{i=\"1\"} NaN\nm{i=\"2\"} 5\n");
    assertEquals(5, text.max("m").getAsDouble());
    assertEquals(5, text.sum("m").getAsDouble());
    assertFalse(text.hasPrefix("rr_"));
    assertTrue(text.hasPrefix("m"));
  }
}
