package io.supercharger.bench;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * What became of one scheduled request. {@link #OK} and {@link #HTTP_4XX} are answers the server
 * meant to give; the others count against the SLO error rate (a 4xx is usually the scenario's
 * fault, so it is reported apart rather than hidden or blamed on the server).
 */
public enum Outcome {
  OK("ok"),
  HTTP_4XX("4xx"),
  HTTP_5XX("5xx"),
  CONNECT("connect"),
  TIMEOUT("timeout"),
  RESET("reset"),
  OTHER("other");

  /** The outcomes that are errors, in report order. */
  public static final Outcome[] ERRORS = {HTTP_4XX, HTTP_5XX, CONNECT, TIMEOUT, RESET, OTHER};

  private final String label;

  Outcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether it counts against the SLO error rate. */
  public boolean sloError() {
    return this != OK && this != HTTP_4XX;
  }

  public static Outcome ofStatus(int status) {
    if (status >= 500) {
      return HTTP_5XX;
    }
    return status >= 400 ? HTTP_4XX : OK;
  }

  /**
   * Maps a transport failure to its kind; the names are Vert.x's and Netty's, read by class and
   * message.
   */
  public static Outcome ofFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String type = c.getClass().getSimpleName();
      String message = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (c instanceof ConnectException
          || type.contains("Connect")
          || message.contains("connection refused")) {
        return CONNECT;
      }
      if (c instanceof TimeoutException
          || type.contains("Timeout")
          || message.contains("timeout")
          || message.contains("timed out")) {
        return TIMEOUT;
      }
      if (c instanceof ClosedChannelException
          || type.contains("Closed")
          || message.contains("reset")
          || message.contains("closed")) {
        return RESET;
      }
    }
    return OTHER;
  }
}
