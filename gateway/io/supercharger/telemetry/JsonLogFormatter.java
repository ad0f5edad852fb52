package io.supercharger.telemetry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One JSON object per line: ts, level, logger, msg and, when present, the error. */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder out = new StringBuilder(160).append('{');
    Json.field(out, "ts", Instant.ofEpochMilli(record.getMillis()).toString());
    Json.field(out, "level", level(record));
    Json.field(out, "logger", shortName(record.getLoggerName()));
    Json.field(out, "msg", formatMessage(record));
    Throwable error = record.getThrown();
    if (error != null) {
      Json.field(out, "error", String.valueOf(error));
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      Json.field(out, "stack", trace.toString());
    }
    return out.append("}\n").toString();
  }

  private static String level(LogRecord record) {
    int v = record.getLevel().intValue();
    if (v >= 1000) {
      return "error";
    }
    if (v >= 900) {
      return "warn";
    }
    if (v >= 800) {
      return "info";
    }
    return "debug";
  }

  private static String shortName(String name) {
    if (name == null) {
      return "";
    }
    return name.startsWith("io.supercharger.") ? name.substring("io.supercharger.".length()) : name;
  }
}
