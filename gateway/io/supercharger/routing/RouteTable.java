package io.supercharger.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps (method, normalized path) to a {@link Route}.
 *
 * <p>A prefix matches on path-segment boundaries: {@code /api/orders} matches {@code /api/orders},
 * {@code /api/orders/} and {@code /api/orders/7}, never {@code /api/ordersX}; {@code /} matches
 * every path. The longest matching prefix whose methods include the request's method wins. A prefix
 * whose routes all refuse the method does not stop the search: {@code GET /api/orders/7} with only
 * a {@code POST /api/orders} route falls through to shorter prefixes, and at last to the route
 * named {@value #DEFAULT_ROUTE}. When the list has no such route, the table appends one (prefix
 * {@code /}, every method, class READ) that only serves as the fallback.
 *
 * <p>Why {@code match()} needs no allocation: the only prefixes that can match a path are the path
 * itself and its cuts just before each '/'. The table keeps its prefixes bucketed by length, so
 * each cut costs an array index and, for the few prefixes of that length, a {@code regionMatches}.
 */
public final class RouteTable {

  public static final String DEFAULT_ROUTE = "default";

  /** The routes that share one prefix, with their method masks (pairwise disjoint, validated). */
  private record Group(String prefix, Route[] routes, int[] masks) {
    Route accepting(int methodBit) {
      for (int i = 0; i < routes.length; i++) {
        if (Methods.accepts(masks[i], methodBit)) {
          return routes[i];
        }
      }
      return null;
    }
  }

  private final List<Route> routes;
  private final Route fallback;

  /** {@code byLength[L]}: the groups whose prefix has length L; null where none. */
  private final Group[][] byLength;

  /**
   * Validates the routes and builds the table. {@code routes.get(i).index()} must be {@code i}.
   *
   * @throws InvalidRouteException naming the route's position and the field
   */
  public RouteTable(List<Route> routes) {
    Map<String, Integer> nameToIndex = new HashMap<>();
    Map<String, List<Integer>> prefixToIndices = new HashMap<>();
    int[] masks = new int[routes.size()];
    Route configuredDefault = null;
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      if (route == null) {
        throw new InvalidRouteException(i, "null (expected: a route)");
      }
      validateFields(i, route);
      Integer previous = nameToIndex.putIfAbsent(route.name(), i);
      if (previous != null) {
        throw new InvalidRouteException(
            i, "name: \"" + route.name() + "\" (duplicate of routes[" + previous + "])");
      }
      masks[i] = Methods.mask(route.methods());
      List<Integer> samePrefix =
          prefixToIndices.computeIfAbsent(route.prefix(), p -> new ArrayList<>());
      for (int j : samePrefix) {
        if (Methods.overlap(masks[i], masks[j])) {
          throw new InvalidRouteException(
              i,
              "methods: "
                  + describe(route.methods())
                  + " (overlap routes["
                  + j
                  + "] \""
                  + routes.get(j).name()
                  + "\" "
                  + describe(routes.get(j).methods())
                  + " on the same path \""
                  + route.prefix()
                  + "\"; expected: disjoint methods)");
        }
      }
      samePrefix.add(i);
      if (route.name().equals(DEFAULT_ROUTE)) {
        configuredDefault = route;
      }
    }
    List<Route> all = new ArrayList<>(routes);
    if (configuredDefault == null) {
      configuredDefault =
          new Route(DEFAULT_ROUTE, "/", Set.of(), RouteClass.READ, routes.size(), null);
      all.add(configuredDefault);
    }
    this.routes = List.copyOf(all);
    this.fallback = configuredDefault;
    this.byLength = buildBuckets(routes, masks, prefixToIndices);
  }

  private static void validateFields(int i, Route route) {
    if (route.index() != i) {
      throw new InvalidRouteException(
          i,
          "index: " + route.index() + " (expected: " + i + ", the route's position in the list)");
    }
    if (route.name().isEmpty()) {
      throw new InvalidRouteException(i, "name: \"\" (expected: a non-empty name)");
    }
    String prefix = route.prefix();
    if (!prefix.startsWith("/")) {
      throw new InvalidRouteException(i, "path: \"" + prefix + "\" (expected: starts with \"/\")");
    }
    String normalized = PathNormalizer.normalize(prefix);
    if (normalized == null || !normalized.equals(prefix)) {
      throw new InvalidRouteException(
          i,
          "path: \""
              + prefix
              + "\" (expected: a normalized path"
              + (normalized == null ? ")" : ", \"" + normalized + "\")"));
    }
    if (prefix.length() > 1 && prefix.endsWith("/")) {
      throw new InvalidRouteException(
          i,
          "path: \""
              + prefix
              + "\" (expected: no trailing \"/\", \""
              + prefix.substring(0, prefix.length() - 1)
              + "\" also matches \""
              + prefix
              + "\")");
    }
    for (String method : route.methods()) {
      if (Methods.bit(method) == 0) {
        throw new InvalidRouteException(
            i,
            "methods: \""
                + method
                + "\" (expected: one of "
                + String.join(", ", Methods.KNOWN)
                + ")");
      }
    }
  }

  private static Group[][] buildBuckets(
      List<Route> routes, int[] masks, Map<String, List<Integer>> prefixToIndices) {
    int maxLength = 0;
    for (String prefix : prefixToIndices.keySet()) {
      maxLength = Math.max(maxLength, prefix.length());
    }
    List<List<Group>> buckets = new ArrayList<>();
    for (int l = 0; l <= maxLength; l++) {
      buckets.add(new ArrayList<>());
    }
    for (Map.Entry<String, List<Integer>> e : prefixToIndices.entrySet()) {
      List<Integer> indices = e.getValue();
      Route[] groupRoutes = new Route[indices.size()];
      int[] groupMasks = new int[indices.size()];
      for (int k = 0; k < indices.size(); k++) {
        groupRoutes[k] = routes.get(indices.get(k));
        groupMasks[k] = masks[indices.get(k)];
      }
      buckets.get(e.getKey().length()).add(new Group(e.getKey(), groupRoutes, groupMasks));
    }
    Group[][] byLength = new Group[maxLength + 1][];
    for (int l = 0; l <= maxLength; l++) {
      if (!buckets.get(l).isEmpty()) {
        byLength[l] = buckets.get(l).toArray(new Group[0]);
      }
    }
    return byLength;
  }

  private static String describe(Set<String> methods) {
    if (methods.isEmpty()) {
      return "[all]";
    }
    List<String> ordered = new ArrayList<>();
    for (String known : Methods.KNOWN) {
      if (methods.contains(known)) {
        ordered.add(known);
      }
    }
    return ordered.toString();
  }

  /**
   * The route for a request. {@code normalizedPath} is the output of {@link
   * PathNormalizer#normalize}; {@code method} is case-sensitive, as HTTP methods are. Never returns
   * null.
   */
  public Route match(String method, String normalizedPath) {
    int bit = Methods.bit(method);
    int n = normalizedPath.length();
    Route route = lookup(normalizedPath, n, bit);
    if (route != null) {
      return route;
    }
    // Cuts before each '/' are the segment-boundary prefixes, longest first. A cut longer than the
    // longest prefix cannot match, so start below it.
    for (int p = Math.min(n - 1, byLength.length - 1); p >= 1; p--) {
      if (normalizedPath.charAt(p) == '/') {
        route = lookup(normalizedPath, p, bit);
        if (route != null) {
          return route;
        }
      }
    }
    if (n > 1) {
      route = lookup(normalizedPath, 1, bit);
    }
    return route != null ? route : fallback;
  }

  private Route lookup(String path, int length, int bit) {
    if (length >= byLength.length) {
      return null;
    }
    Group[] groups = byLength[length];
    if (groups == null) {
      return null;
    }
    for (Group group : groups) {
      if (path.regionMatches(0, group.prefix, 0, length)) {
        return group.accepting(bit);
      }
    }
    return null;
  }

  /** Every route, the fallback included, in index order: {@code routes().get(r.index()) == r}. */
  public List<Route> routes() {
    return routes;
  }

  /** The route named {@value #DEFAULT_ROUTE}: configured, or added by the table. */
  public Route defaultRoute() {
    return fallback;
  }
}
