package io.supercharger.telemetry;

/** Minimal JSON string escaping for log lines built with a StringBuilder (no tree per line). */
public final class Json {
  private Json() {}

  public static StringBuilder quote(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  public static StringBuilder field(StringBuilder out, String name, String value) {
    out.append(out.length() > 1 ? "," : "");
    quote(out, name).append(':');
    return quote(out, value);
  }

  public static StringBuilder field(StringBuilder out, String name, long value) {
    out.append(out.length() > 1 ? "," : "");
    return quote(out, name).append(':').append(value);
  }
}
