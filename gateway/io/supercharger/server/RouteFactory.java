package io.supercharger.server;

import io.supercharger.config.ConfigException;
import io.supercharger.config.RouteConfig;
import io.supercharger.routing.InvalidRouteException;
import io.supercharger.routing.Route;
import io.supercharger.routing.RouteClass;
import io.supercharger.routing.RouteTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Turns the validated route configs into the route table, in config order. */
final class RouteFactory {
  private RouteFactory() {}

  static RouteTable table(List<RouteConfig> configs) {
    List<Route> routes = new ArrayList<>();
    for (RouteConfig rc : configs) {
      routes.add(route(rc, routes.size()));
    }
    try {
      return new RouteTable(routes);
    } catch (InvalidRouteException e) {
      throw new ConfigException("routes[" + e.index() + "]." + e.getMessage());
    }
  }

  static Route route(RouteConfig rc, int index) {
    return new Route(
        rc.name(),
        rc.path(),
        new HashSet<>(rc.methods()),
        "write".equals(rc.routeClass()) ? RouteClass.WRITE : RouteClass.READ,
        index,
        rc.pool());
  }
}
