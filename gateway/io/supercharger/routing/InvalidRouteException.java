package io.supercharger.routing;

/**
 * A route list that {@link RouteTable} refuses. The message names the field inside the route
 * ({@code path: "api" (expected: starts with "/")}); {@link #index()} is the route's position in
 * the list, so the config layer reports {@code "routes[" + index() + "]." + getMessage()}.
 */
public final class InvalidRouteException extends IllegalArgumentException {

  private final int index;

  public InvalidRouteException(int index, String message) {
    super(message);
    this.index = index;
  }

  /** The position of the offending route in the list given to {@link RouteTable}. */
  public int index() {
    return index;
  }
}
