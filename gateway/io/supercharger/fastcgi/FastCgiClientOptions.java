package io.supercharger.fastcgi;

/**
 * Settings of a {@link FastCgiClient}. The per-instance cap (pm.max_children) and the size of its
 * wait queue live in the shared {@link FcgiInstanceLimit}, since all loops share them.
 *
 * @param connectTimeoutMs connect to FPM (timeout → TIMEOUT, refused → CONNECT)
 * @param responseTimeoutMs from sending the request until the CGI header block (→ TIMEOUT)
 * @param idleTimeoutMs how long a kept-alive connection may stay idle in the pool
 * @param keepAlive FCGI_KEEP_CONN and pooled connections; off: one connection per request
 * @param maxWaitMs how long a request may wait for a connection slot (→ SATURATED)
 * @param maxHeaderBytes the longest CGI header block accepted (→ PROTOCOL)
 */
public record FastCgiClientOptions(
    long connectTimeoutMs,
    long responseTimeoutMs,
    long idleTimeoutMs,
    boolean keepAlive,
    long maxWaitMs,
    int maxHeaderBytes) {

  public FastCgiClientOptions {
    positive("connect_ms", connectTimeoutMs);
    positive("response_ms", responseTimeoutMs);
    positive("idle_ms", idleTimeoutMs);
    positive("maxWaitMs", maxWaitMs);
    positive("maxHeaderBytes", maxHeaderBytes);
  }

  /**
   * connect 1 s, response 30 s, idle 60 s, keep-alive off, 1 s wait for a slot, 32 KiB of headers.
   */
  public static FastCgiClientOptions defaults() {
    return new FastCgiClientOptions(1_000, 30_000, 60_000, false, 1_000, 32_768);
  }

  public FastCgiClientOptions withKeepAlive(boolean keepAlive) {
    return new FastCgiClientOptions(
        connectTimeoutMs, responseTimeoutMs, idleTimeoutMs, keepAlive, maxWaitMs, maxHeaderBytes);
  }

  public FastCgiClientOptions withTimeouts(long connectTimeoutMs, long responseTimeoutMs) {
    return new FastCgiClientOptions(
        connectTimeoutMs, responseTimeoutMs, idleTimeoutMs, keepAlive, maxWaitMs, maxHeaderBytes);
  }

  public FastCgiClientOptions withMaxWaitMs(long maxWaitMs) {
    return new FastCgiClientOptions(
        connectTimeoutMs, responseTimeoutMs, idleTimeoutMs, keepAlive, maxWaitMs, maxHeaderBytes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
