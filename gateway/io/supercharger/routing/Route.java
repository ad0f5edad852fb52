package io.supercharger.routing;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of the route table.
 *
 * @param name the metric label {@code route}; unique in the table
 * @param prefix a normalized path without a trailing slash ({@code "/"} matches everything);
 *     matched on segment boundaries
 * @param methods upper-case method names; empty means every method
 * @param routeClass the SLO class
 * @param index the route's position in {@link RouteTable#routes()}, for arrays of metric handles
 * @param pool a pool this route is pinned to, bypassing the split; {@code null} when not pinned
 */
public record Route(
    String name,
    String prefix,
    Set<String> methods,
    RouteClass routeClass,
    int index,
    String pool) {

  public Route {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(routeClass, "routeClass");
    methods = methods == null ? Set.of() : Set.copyOf(methods);
  }

  /** Whether this route takes every method. */
  public boolean allMethods() {
    return methods.isEmpty();
  }
}
