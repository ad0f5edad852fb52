package io.supercharger.fastcgi;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CGI/1.1 meta-variables (RFC 3875 §4.1) for one request, in front-controller mode: every
 * request runs the configured index script, and the request path travels in PATH_INFO and
 * REQUEST_URI.
 *
 * <p>Immutable. Build with {@link #builder(String, String)}; CONTENT_LENGTH is set by the client
 * from the length it actually streams, so the two can never disagree.
 */
public final class CgiParams {

  private final Map<String, String> params;

  private CgiParams(Map<String, String> params) {
    this.params = Collections.unmodifiableMap(params);
  }

  /**
   * @param documentRoot absolute path of the application's public folder
   * @param index the front controller, relative to the document root; must end in ".php", so that a
   *     configuration mistake can never make FPM run a non-PHP file
   */
  public static Builder builder(String documentRoot, String index) {
    return new Builder(documentRoot, index);
  }

  public String get(String name) {
    return params.get(name);
  }

  public Map<String, String> asMap() {
    return params;
  }

  CgiParams withContentLength(long contentLength) {
    Map<String, String> copy = new LinkedHashMap<>(params);
    copy.put("CONTENT_LENGTH", Long.toString(contentLength));
    return new CgiParams(copy);
  }

  static void validateFrontController(String documentRoot, String index) {
    if (documentRoot == null || !documentRoot.startsWith("/")) {
      throw new IllegalArgumentException(
          "fastcgi.document_root: " + documentRoot + " (expected an absolute path)");
    }
    if (index == null || !index.endsWith(".php") || index.length() == ".php".length()) {
      throw new IllegalArgumentException(
          "fastcgi.index: "
              + index
              + " (expected a script name ending in .php; a non-PHP file must never be executed)");
    }
    if (index.startsWith("/") || index.indexOf('\0') >= 0 || ("/" + index + "/").contains("/../")) {
      throw new IllegalArgumentException(
          "fastcgi.index: "
              + index
              + " (expected a path relative to the document root, without '..')");
    }
  }

  public static final class Builder {
    private final String documentRoot;
    private final String index;
    private final Map<String, String> extra = new LinkedHashMap<>();
    private String method = "GET";
    private String rawUri = "/";
    private MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private String protocol = "HTTP/1.1";
    private String remoteAddr = "";
    private int remotePort;
    private String serverName = "";
    private String serverAddr = "";
    private int serverPort;
    private boolean https;

    private Builder(String documentRoot, String index) {
      validateFrontController(documentRoot, index);
      this.documentRoot =
          documentRoot.endsWith("/") && documentRoot.length() > 1
              ? documentRoot.substring(0, documentRoot.length() - 1)
              : documentRoot;
      this.index = index;
    }

    /**
     * @param rawUri the request target as received (origin form), e.g. {@code /a%20b?x=1}
     */
    public Builder request(String method, String rawUri, MultiMap headers) {
      this.method = method;
      this.rawUri = rawUri;
      this.headers = headers;
      return this;
    }

    public Builder protocol(String protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder remote(String address, int port) {
      this.remoteAddr = address;
      this.remotePort = port;
      return this;
    }

    public Builder server(String name, String address, int port) {
      this.serverName = name;
      this.serverAddr = address;
      this.serverPort = port;
      return this;
    }

    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /** An additional variable, set after (and so overriding) the computed ones. */
    public Builder param(String name, String value) {
      extra.put(name, value);
      return this;
    }

    public CgiParams build() {
      int q = rawUri.indexOf('?');
      String path = q < 0 ? rawUri : rawUri.substring(0, q);
      Map<String, String> p = new LinkedHashMap<>();
      p.put("GATEWAY_INTERFACE", "CGI/1.1");
      p.put("SERVER_SOFTWARE", "supercharger");
      p.put("SERVER_PROTOCOL", protocol);
      p.put("SERVER_NAME", serverName);
      p.put("SERVER_ADDR", serverAddr);
      p.put("SERVER_PORT", Integer.toString(serverPort));
      p.put("REMOTE_ADDR", remoteAddr);
      p.put("REMOTE_PORT", Integer.toString(remotePort));
      p.put("REQUEST_METHOD", method);
      p.put("REQUEST_URI", rawUri);
      p.put("QUERY_STRING", q < 0 ? "" : rawUri.substring(q + 1));
      p.put("DOCUMENT_ROOT", documentRoot);
      p.put("SCRIPT_FILENAME", documentRoot + "/" + index);
      p.put("SCRIPT_NAME", "/" + index);
      p.put("PATH_INFO", decodePath(path));
      // Needed only by a PHP built with --enable-force-cgi-redirect; harmless otherwise (nginx
      // sends it too).
      p.put("REDIRECT_STATUS", "200");
      p.put("CONTENT_TYPE", headers.get("Content-Type") == null ? "" : headers.get("Content-Type"));
      p.put("CONTENT_LENGTH", "0");
      if (https) {
        p.put("HTTPS", "on");
      }
      addHeaders(p);
      p.putAll(extra);
      return new CgiParams(p);
    }

    /** One pass over the headers in arrival order; repeated names join into one variable. */
    private void addHeaders(Map<String, String> p) {
      for (Map.Entry<String, String> header : headers) {
        String name = header.getKey();
        // httpoxy: HTTP_PROXY would be read as the proxy for PHP's outgoing requests.
        // Content-Type/Length are already CONTENT_TYPE/CONTENT_LENGTH (RFC 3875 §4.1.18 allows
        // leaving them out).
        if (name.equalsIgnoreCase("proxy")
            || name.equalsIgnoreCase("content-type")
            || name.equalsIgnoreCase("content-length")
            || !isToken(name)) {
          continue;
        }
        String key = variableName(name);
        String value = header.getValue();
        String previous = p.putIfAbsent(key, value);
        if (previous != null) {
          p.put(key, previous + (name.equalsIgnoreCase("cookie") ? "; " : ", ") + value);
        }
      }
    }
  }

  /**
   * RFC 7230 token characters we accept in a header name; anything else (notably '_') drops the
   * header, as nginx does, so that X-Forwarded_For cannot pose as X-Forwarded-For.
   */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** HTTP_ plus the name upper-cased, '-' as '_' (RFC 3875 §4.1.18). */
  private static String variableName(String name) {
    char[] out = new char[5 + name.length()];
    out[0] = 'H';
    out[1] = 'T';
    out[2] = 'T';
    out[3] = 'P';
    out[4] = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out[5 + i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char) (c - 32) : c;
    }
    return new String(out);
  }

  /** PATH_INFO is not URL-encoded (RFC 3875 §4.1.5); an undecodable path is passed as received. */
  private static String decodePath(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    try {
      return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return path;
    }
  }

  @Override
  public String toString() {
    return "CgiParams" + params;
  }
}
