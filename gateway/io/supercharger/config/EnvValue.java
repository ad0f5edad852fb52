package io.supercharger.config;

/** A raw value that came from an environment variable, so that errors can name the variable. */
record EnvValue(String variable, String value) {
  @Override
  public String toString() {
    return value;
  }
}
