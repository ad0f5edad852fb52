package io.supercharger.server;

/** Finds one cookie's value in a Cookie header without parsing the others. */
final class Cookies {
  private Cookies() {}

  static String value(String header, String name) {
    if (header == null) {
      return null;
    }
    int from = 0;
    int len = header.length();
    while (from < len) {
      while (from < len && (header.charAt(from) == ' ' || header.charAt(from) == ';')) {
        from++;
      }
      int end = header.indexOf(';', from);
      if (end < 0) {
        end = len;
      }
      if (header.startsWith(name, from)
          && from + name.length() < end
          && header.charAt(from + name.length()) == '=') {
        return header.substring(from + name.length() + 1, end).trim();
      }
      from = end + 1;
    }
    return null;
  }
}
