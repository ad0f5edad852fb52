package io.supercharger.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

  /**
   * Builds routes from (name, prefix, methods, class) rows, numbering them as the config layer
   * does.
   */
  private static List<Route> routes(Object[]... rows) {
    List<Route> list = new ArrayList<>();
    for (Object[] row : rows) {
      @SuppressWarnings("unchecked")
      Set<String> methods = (Set<String>) row[2];
      list.add(
          new Route(
              (String) row[0],
              (String) row[1],
              methods,
              (RouteClass) row[3],
              list.size(),
              row.length > 4 ? (String) row[4] : null));
    }
    return list;
  }

  private static Object[] row(String name, String prefix, Set<String> methods, RouteClass cls) {
    return new Object[] {name, prefix, methods, cls};
  }

  private static final RouteTable TABLE =
      new RouteTable(
          routes(
              row("categories", "/api/categories", Set.of("GET", "HEAD"), RouteClass.READ),
              row(
                  "orders_write",
                  "/api/orders",
                  Set.of("POST", "PUT", "PATCH", "DELETE"),
                  RouteClass.WRITE),
              row("orders_read", "/api/orders", Set.of("GET"), RouteClass.READ),
              row("order_items", "/api/orders/items", Set.of(), RouteClass.READ),
              row("api", "/api", Set.of(), RouteClass.READ),
              row("assets", "/assets", Set.of("GET"), RouteClass.READ)));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // segment boundaries
        "GET    | /api/orders          | orders_read",
        "GET    | /api/orders/         | orders_read",
        "GET    | /api/orders/7        | orders_read",
        "GET    | /api/ordersX         | api",
        "GET    | /api/orders7/x       | api",
        // the longest prefix wins
        "GET    | /api/orders/items    | order_items",
        "POST   | /api/orders/items/3  | order_items",
        "GET    | /api/orders/itemsX   | orders_read",
        // among equal prefixes, the one whose methods include the method
        "POST   | /api/orders/7        | orders_write",
        "DELETE | /api/orders          | orders_write",
        // no route of a prefix takes the method: fall through to a shorter prefix
        "OPTIONS| /api/orders/7        | api",
        "POST   | /api/categories      | api",
        "HEAD   | /api/categories/1    | categories",
        // an unknown method only matches routes that take every method
        "PROPFIND | /api/orders/7      | api",
        // unmatched: the added default
        "GET    | /                    | default",
        "GET    | /index.php           | default",
        "POST   | /assets/app.js       | default",
        "GET    | /assets/app.js       | assets",
        "GET    | /ap                  | default",
        // methods are case-sensitive
        "get    | /assets/x            | default",
      })
  void matches(String method, String path, String expected) {
    assertEquals(expected, TABLE.match(method, path).name());
  }

  @Test
  void addsADefaultRouteWhenNoneIsConfigured() {
    Route fallback = TABLE.defaultRoute();
    assertEquals("default", fallback.name());
    assertEquals("/", fallback.prefix());
    assertEquals(RouteClass.READ, fallback.routeClass());
    assertEquals(Set.of(), fallback.methods());
    assertNull(fallback.pool());
    assertEquals(6, fallback.index());
    for (int i = 0; i < TABLE.routes().size(); i++) {
      assertEquals(i, TABLE.routes().get(i).index());
    }
  }

  @Test
  void configuredDefaultIsTheFallback() {
    RouteTable table =
        new RouteTable(
            routes(
                row("default", "/", Set.of(), RouteClass.WRITE),
                row("orders", "/api/orders", Set.of("GET"), RouteClass.READ)));
    assertEquals(2, table.routes().size());
    assertSame(table.routes().get(0), table.defaultRoute());
    assertEquals("default", table.match("POST", "/api/orders").name());
    assertEquals(RouteClass.WRITE, table.match("GET", "/x").routeClass());
  }

  /**
   * A route on "/" takes what no longer prefix takes, so the fallback is only for other methods.
   */
  @Test
  void rootPrefixMatchesEverything() {
    RouteTable table =
        new RouteTable(
            routes(
                row("site", "/", Set.of("GET"), RouteClass.READ),
                row("orders", "/api/orders", Set.of(), RouteClass.WRITE)));
    assertEquals("site", table.match("GET", "/").name());
    assertEquals("site", table.match("GET", "/anything/at/all").name());
    assertEquals("orders", table.match("GET", "/api/orders/1").name());
    assertEquals("default", table.match("POST", "/anything").name());
  }

  @Test
  void pinnedPoolIsKept() {
    RouteTable table =
        new RouteTable(
            routes(new Object[] {"legacy", "/legacy", Set.of(), RouteClass.READ, "fpm"}));
    assertEquals("fpm", table.match("GET", "/legacy/x").pool());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate name   | a,/x,GET;a,/y,GET        | 1 | name: \"a\" (duplicate of routes[0])",
        "relative path    | a,/x,GET;b,api/y,GET     | 1 | path: \"api/y\" (expected: starts with \"/\")",
        "empty path       | a,,GET                   | 0 | path: \"\" (expected: starts with \"/\")",
        "unnormalized     | a,//x/./y,GET            | 0 | path: \"//x/./y\" (expected: a normalized path, \"/x/y\")",
        "above root       | a,/../x,GET              | 0 | path: \"/../x\" (expected: a normalized path)",
        "trailing slash   | a,/x/,GET                | 0 | path: \"/x/\" (expected: no trailing \"/\", \"/x\" also matches \"/x/\")",
        "unknown method   | a,/x,FETCH               | 0 | methods: \"FETCH\" (expected: one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT)",
        "lower-case       | a,/x,get                 | 0 | methods: \"get\" (expected: one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT)",
        "overlap          | a,/x,GET POST;b,/x,POST PUT | 1 | methods: [POST, PUT] (overlap routes[0] \"a\" [GET, POST] on the same path \"/x\"; expected: disjoint methods)",
        "overlap all      | a,/x,GET;b,/y,;c,/x,     | 2 | methods: [all] (overlap routes[0] \"a\" [GET] on the same path \"/x\"; expected: disjoint methods)",
        "empty name       | ,/x,GET                  | 0 | name: \"\" (expected: a non-empty name)",
      })
  void rejectsInvalidRoutesNamingTheField(String scenario, String spec, int index, String message) {
    List<Route> list = new ArrayList<>();
    for (String r : spec.split(";")) {
      String[] f = r.split(",", -1);
      Set<String> methods = f[2].isEmpty() ? Set.of() : Set.of(f[2].split(" "));
      list.add(new Route(f[0], f[1], methods, RouteClass.READ, list.size(), null));
    }
    InvalidRouteException e = assertThrows(InvalidRouteException.class, () -> new RouteTable(list));
    assertEquals(index, e.index());
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsAnIndexThatIsNotThePosition() {
    List<Route> list = List.of(new Route("a", "/a", Set.of(), RouteClass.READ, 3, null));
    InvalidRouteException e = assertThrows(InvalidRouteException.class, () -> new RouteTable(list));
    assertEquals("index: 3 (expected: 0, the route's position in the list)", e.getMessage());
  }

  @Test
  void emptyTableSendsEverythingToDefault() {
    RouteTable table = new RouteTable(List.of());
    assertEquals("default", table.match("GET", "/api").name());
    assertEquals(0, table.defaultRoute().index());
  }
}
