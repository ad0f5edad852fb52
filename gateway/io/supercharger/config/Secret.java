package io.supercharger.config;

/** A secret value that never shows itself in logs, errors or toString(). */
public record Secret(String value) {
  @Override
  public String toString() {
    return value == null || value.isEmpty() ? "(none)" : "(secret)";
  }

  public boolean isPresent() {
    return value != null && !value.isEmpty();
  }
}
