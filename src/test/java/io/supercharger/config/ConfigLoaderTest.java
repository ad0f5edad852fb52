package io.supercharger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final Path BASE = Path.of("/etc/supercharger");
  private static final String SOURCE = "test.yaml";

  /** The smallest valid config: every other section takes the built-in defaults. */
  private static final String ONE_POOL =
      """
      pools:
        app: {engine: php-worker, instances: ["127.0.0.1:8081"]}
      """;

  private static final String TWO_POOLS =
      """
      pools:
        worker: {engine: php-worker, instances: ["127.0.0.1:8081"]}
        fpm: {engine: fpm, instances: ["127.0.0.1:9000"], fastcgi: {document_root: /srv/public}}
      """;

  private static final String TOKEN = "s3cr3t-token-value";

  private static GatewayConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static GatewayConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, SOURCE, BASE, env);
  }

  private static List<String> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  private static List<String> problems(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> parse(yaml, env)).problems();
  }

  // --- shipped configs -------------------------------------------------------------------------

  /**
   * conf/gateway.yaml claims "every value here is also the built-in default". Guards against the
   * two drifting apart: a default changed in a reader but not in the file, or the other way round.
   */
  @Test
  void embeddedDefaultMatchesBuiltInDefaultsOutsidePoolsRoutesAndWeights() {
    GatewayConfig embedded = ConfigLoader.loadEmbeddedDefault(Map.of());
    GatewayConfig builtIn = parse(ONE_POOL);

    assertEquals(builtIn.listen(), embedded.listen());
    assertEquals(builtIn.endpoints(), embedded.endpoints());
    assertEquals(withoutToken(builtIn.security()), withoutToken(embedded.security()));
    assertEquals(builtIn.timeouts(), embedded.timeouts());
    assertEquals(builtIn.limits(), embedded.limits());
    assertEquals(builtIn.accessLog(), embedded.accessLog());
    assertEquals(builtIn.lifecycle(), embedded.lifecycle());
    SplitConfig a = builtIn.split();
    SplitConfig b = embedded.split();
    assertEquals(a.sticky(), b.sticky());
    assertEquals(a.cookie(), b.cookie());
    assertEquals(a.header(), b.header());
    assertEquals(a.overrideEnabled(), b.overrideEnabled());
    assertEquals(a.overrideHeader(), b.overrideHeader());
    assertEquals(List.of("worker", "fpm"), List.copyOf(embedded.pools().keySet()));
    assertEquals(Map.of("worker", 10, "fpm", 90), embedded.split().weights());
    assertNull(embedded.canary());
  }

  private static SecurityConfig withoutToken(SecurityConfig s) {
    return new SecurityConfig(
        s.enabled(),
        s.mode(),
        s.allowlist(),
        s.tokenHeader(),
        s.tokenFile(),
        new Secret(null),
        s.trustedProxies());
  }

  /**
   * Regression: the embedded default has "${NAME}" in a comment, and expansion used to run over
   * comments too, so `supercharger run` without --config failed unless NAME happened to be set.
   */
  @Test
  void embeddedDefaultLoadsWithAnEmptyEnvironment() {
    assertEquals(
        "(embedded conf/gateway.yaml)", ConfigLoader.loadEmbeddedDefault(Map.of()).source());
  }

  @Test
  void demoConfigLoadsWithTheDefaultsOfItsDemoVariables() {
    Path repo = Path.of("").toAbsolutePath();
    GatewayConfig demo = ConfigLoader.load(Path.of("conf/demo.yaml"), Map.of());

    assertEquals(
        List.of(new HostPort("127.0.0.1", 8081), new HostPort("127.0.0.1", 8082)),
        demo.pool("worker").instances());
    assertEquals(List.of(new HostPort("127.0.0.1", 9000)), demo.pool("fpm").instances());
    assertEquals(
        repo.resolve("src/test/php/public").toString(), demo.pool("fpm").fastcgi().documentRoot());
    assertEquals(repo.resolve(".demo/token").toString(), demo.security().tokenFile());
    assertEquals(repo.resolve(".demo/access.log").toString(), demo.accessLog().path());
    assertEquals(Map.of("worker", 25, "fpm", 75), demo.split().weights());
    assertEquals(5, demo.routes().size());
  }

  @Test
  void demoConfigTakesItsPortsFromTheDemoVariables() {
    GatewayConfig demo =
        ConfigLoader.load(
            Path.of("conf/demo.yaml"),
            Map.of(
                "DEMO_WORKER_PORT_1",
                "41001",
                "DEMO_WORKER_PORT_2",
                "41002",
                "DEMO_FPM_PORT",
                "41003"));

    assertEquals(
        List.of(new HostPort("127.0.0.1", 41001), new HostPort("127.0.0.1", 41002)),
        demo.pool("worker").instances());
    assertEquals(List.of(new HostPort("127.0.0.1", 41003)), demo.pool("fpm").instances());
  }

  // --- one precise message per kind of mistake -------------------------------------------------

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown top-level key", ONE_POOL + "colour: blue\n", "colour: unknown key"),
        Arguments.of(
            "unknown nested key",
            """
            pools:
              worker:
                engine: fpm
                instances: ["127.0.0.1:9000"]
                fastcgi: {document_root: /srv, foo: 1}
            """,
            "pools.worker.fastcgi.foo: unknown key"),
        Arguments.of(
            "token in the file: it only comes from the environment",
            ONE_POOL + "security: {token: abc}\n",
            "security.token: unknown key"),
        Arguments.of(
            "port out of range",
            ONE_POOL + "listen: {port: 70000}\n",
            "listen.port: \"70000\" (expected a whole number from 0 to 65535)"),
        Arguments.of(
            "port not a number",
            ONE_POOL + "listen: {port: http}\n",
            "listen.port: \"http\" (expected a whole number from 0 to 65535)"),
        Arguments.of(
            "instance without port",
            pool("engine: php-worker, instances: [\"127.0.0.1\"]"),
            "pools.app.instances[0]: \"127.0.0.1\" (expected host:port, like 127.0.0.1:9000 or [::1]:9000)"),
        Arguments.of(
            "IPv6 instance without brackets",
            pool("engine: php-worker, instances: [\"::1:9000\"]"),
            "pools.app.instances[0]: \"::1:9000\" (expected host:port, like 127.0.0.1:9000 or [::1]:9000)"),
        Arguments.of(
            "instance port 0",
            pool("engine: php-worker, instances: [\"127.0.0.1:0\"]"),
            "pools.app.instances[0]: \"127.0.0.1:0\" (expected host:port, like 127.0.0.1:9000 or [::1]:9000)"),
        Arguments.of(
            "duplicate instance",
            pool("engine: php-worker, instances: [\"127.0.0.1:8081\", \"127.0.0.1:8081\"]"),
            "pools.app.instances[1]: \"127.0.0.1:8081\" (listed twice)"),
        Arguments.of(
            "pool without instances",
            pool("engine: php-worker"),
            "pools.app.instances: at least one host:port is required"),
        Arguments.of(
            "unknown engine",
            pool("engine: nginx, instances: [\"127.0.0.1:8081\"]"),
            "pools.app.engine: \"nginx\" (expected one of roadrunner|frankenphp|swoole|php-worker|fpm)"),
        Arguments.of(
            "pool without engine",
            pool("instances: [\"127.0.0.1:8081\"]"),
            "pools.app.engine: required (roadrunner|frankenphp|swoole|php-worker|fpm)"),
        Arguments.of(
            "engine fpm with protocol http",
            pool("engine: fpm, protocol: http, instances: [\"127.0.0.1:9000\"]"),
            "pools.app.protocol: \"http\" (engine fpm speaks fastcgi)"),
        Arguments.of(
            "worker engine with protocol fastcgi",
            pool(
                "engine: roadrunner, protocol: fastcgi, instances: [\"127.0.0.1:9000\"], fastcgi: {document_root: /srv}"),
            "pools.app.protocol: \"fastcgi\" (engine roadrunner speaks http)"),
        Arguments.of(
            "fastcgi pool without document_root",
            pool("engine: fpm, instances: [\"127.0.0.1:9000\"]"),
            "pools.app.fastcgi.document_root: required for a fastcgi pool"),
        Arguments.of(
            "index not ending in .php",
            pool(
                "engine: fpm, instances: [\"127.0.0.1:9000\"], fastcgi: {document_root: /srv, index: index.html}"),
            "pools.app.fastcgi.index: \"index.html\" (expected a .php file relative to document_root, like index.php)"),
        Arguments.of(
            "index climbing out of document_root",
            pool(
                "engine: fpm, instances: [\"127.0.0.1:9000\"], fastcgi: {document_root: /srv, index: ../admin.php}"),
            "pools.app.fastcgi.index: \"../admin.php\" (expected a .php file relative to document_root, like index.php)"),
        Arguments.of(
            "weights not summing to 100",
            TWO_POOLS + "split: {weights: {worker: 10, fpm: 80}}\n",
            "split.weights: sum is 90 (expected 100)"),
        Arguments.of(
            "weight naming an unknown pool",
            TWO_POOLS + "split: {weights: {worker: 10, fpm: 90, ghost: 0}}\n",
            "split.weights.ghost: no pool of that name (pools: worker, fpm)"),
        Arguments.of(
            "weight over 100",
            TWO_POOLS + "split: {weights: {worker: 110, fpm: 0}}\n",
            "split.weights.worker: \"110\" (expected a percent from 0 to 100)"),
        Arguments.of(
            "missing weights with two pools",
            TWO_POOLS,
            "split.weights: required when there is more than one pool"),
        Arguments.of(
            "bad sticky mode",
            ONE_POOL + "split: {sticky: session}\n",
            "split.sticky: \"session\" (expected one of cookie|header|ip|none)"),
        Arguments.of(
            "route without name",
            ONE_POOL + "routes: [{path: /api}]\n",
            "routes[0].name: null (expected a name of letters, digits, _ . and -)"),
        Arguments.of(
            "duplicate route names",
            ONE_POOL + "routes: [{name: a, path: /a}, {name: a, path: /b}]\n",
            "routes[1].name: \"a\" (used by another route)"),
        Arguments.of(
            "bad route class",
            ONE_POOL + "routes: [{name: a, path: /a, class: fast}]\n",
            "routes[0].class: \"fast\" (expected one of read|write)"),
        Arguments.of(
            "bad method",
            ONE_POOL + "routes: [{name: a, path: /a, methods: [GET, FETCH]}]\n",
            "routes[0].methods[1]: \"FETCH\" (expected one of GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE|CONNECT)"),
        Arguments.of(
            "route pinned to unknown pool",
            ONE_POOL + "routes: [{name: a, path: /a, pool: ghost}]\n",
            "routes[0].pool: \"ghost\" (no pool of that name)"),
        Arguments.of(
            "route path not absolute",
            ONE_POOL + "routes: [{name: a, path: api}]\n",
            "routes[0].path: \"api\" (expected an absolute path prefix like /api/orders)"),
        Arguments.of(
            "bad CIDR in allowlist",
            ONE_POOL + "security: {allowlist: [127.0.0.1/32, 10.0.0.0/33]}\n",
            "security.allowlist[1]: \"10.0.0.0/33\" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)"),
        Arguments.of(
            "bad CIDR in trusted_proxies",
            ONE_POOL + "security: {trusted_proxies: [proxy.local]}\n",
            "security.trusted_proxies[0]: \"proxy.local\" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)"),
        Arguments.of(
            "mode token without any token source",
            ONE_POOL + "security: {mode: token}\n",
            "security.token_file: mode token needs a token: set token_file or RUNTIME_ENDPOINT_SECURITY_TOKEN"),
        Arguments.of(
            "mode allowlist_and_token without any token source",
            ONE_POOL + "security: {mode: allowlist_and_token}\n",
            "security.token_file: mode allowlist_and_token needs a token: set token_file or RUNTIME_ENDPOINT_SECURITY_TOKEN"),
        Arguments.of(
            "zero timeout",
            ONE_POOL + "timeouts: {connect_ms: 0}\n",
            "timeouts.connect_ms: \"0\" (expected a whole number from 1 to 86400000)"),
        Arguments.of(
            "negative pool timeout",
            pool(
                "engine: php-worker, instances: [\"127.0.0.1:8081\"], timeouts: {response_ms: -5}"),
            "pools.app.timeouts.response_ms: \"-5\" (expected a whole number from 1 to 86400000)"),
        Arguments.of(
            "section that is not a mapping",
            ONE_POOL + "limits: 1024\n",
            "limits: \"1024\" (expected a mapping)"),
        Arguments.of("no pools", "listen: {port: 7654}\n", "pools: at least one pool is required"),
        Arguments.of(
            "duplicate YAML keys",
            ONE_POOL + "listen: {port: 1}\nlisten: {port: 2}\n",
            "test.yaml:4:1: invalid YAML: found duplicate key listen"),
        Arguments.of(
            "invalid YAML syntax",
            ONE_POOL + "listen: {port: 7654\n",
            "test.yaml:4:1: invalid YAML: expected ',' or '}', but got <stream end>"),
        Arguments.of(
            "top level is a list, not a mapping",
            "- listen\n- pools\n",
            "test.yaml: expected a mapping at the top level"));
  }

  private static String pool(String flowBody) {
    return "pools:\n  app: {" + flowBody + "}\n";
  }

  /** Exactly one problem each: a mistake must not cascade into follow-up noise. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeGetsOnePreciseMessage(String scenario, String yaml, String expected) {
    assertEquals(List.of(expected), problems(yaml));
  }

  @Test
  void bracketedIpv6InstanceIsAccepted() {
    PoolConfig app =
        parse(pool("engine: php-worker, instances: [\"[::1]:9000\", \"127.0.0.1:9000\"]"))
            .pool("app");

    assertEquals(
        List.of(new HostPort("::1", 9000), new HostPort("127.0.0.1", 9000)), app.instances());
    assertEquals("[::1]:9000", app.instances().get(0).toString());
  }

  @Test
  void singlePoolWithoutWeightsTakesAllTraffic() {
    assertEquals(Map.of("app", 100), parse(ONE_POOL).split().weights());
  }

  @Test
  void poolMissingFromWeightsGetsZero() {
    GatewayConfig c = parse(TWO_POOLS + "split: {weights: {fpm: 100}}\n");

    assertEquals(Map.of("worker", 0, "fpm", 100), c.split().weights());
  }

  /** check-config promises every mistake in one run, not one per edit-and-retry cycle. */
  @Test
  void severalProblemsAreReportedTogetherInReadingOrder() {
    List<String> problems =
        problems(
            """
        listen: {port: -1}
        pools:
          app: {engine: nginx, instances: ["127.0.0.1"]}
        timeouts: {idle_ms: 0}
        routes: [{name: a, path: /a, class: fast}]
        colour: blue
        """);

    assertEquals(
        List.of(
            "listen.port: \"-1\" (expected a whole number from 0 to 65535)",
            "timeouts.idle_ms: \"0\" (expected a whole number from 1 to 86400000)",
            "pools.app.engine: \"nginx\" (expected one of roadrunner|frankenphp|swoole|php-worker|fpm)",
            "pools.app.instances[0]: \"127.0.0.1\" (expected host:port, like 127.0.0.1:9000 or [::1]:9000)",
            "routes[0].class: \"fast\" (expected one of read|write)",
            "colour: unknown key"),
        problems);
  }

  /**
   * Regression: a skipped route entry used to shift the index named in a duplicate-name message.
   */
  @Test
  void duplicateRouteNameKeepsItsOwnIndexAfterAnInvalidEntry() {
    List<String> problems =
        problems(ONE_POOL + "routes: [oops, {name: a, path: /a}, {name: a, path: /b}]\n");

    assertEquals(
        List.of(
            "routes[0]: \"oops\" (expected a mapping)",
            "routes[2].name: \"a\" (used by another route)"),
        problems);
  }

  @Test
  void twoUnnamedRoutesAreNotAlsoReportedAsDuplicates() {
    List<String> problems = problems(ONE_POOL + "routes: [{path: /a}, {path: /b}]\n");

    assertEquals(
        List.of(
            "routes[0].name: null (expected a name of letters, digits, _ . and -)",
            "routes[1].name: null (expected a name of letters, digits, _ . and -)"),
        problems);
  }

  // --- environment overrides -------------------------------------------------------------------

  /** A file that sets every overridable value to something other than the override below. */
  private static final String FILE_FOR_OVERRIDES =
      ONE_POOL
          + """
      security:
        enabled: true
        mode: allowlist_or_token
        allowlist: [127.0.0.1/32]
        token_header: X-Runtime-Token
        token_file: /etc/file-token
        trusted_proxies: []
      lifecycle: {enabled: true, max_request: 1000, max_memory_mb: 512, max_uptime_second: 3600, drain_second: 10}
      """;

  static Stream<Arguments> overrides() {
    return Stream.of(
        override("RUNTIME_ENDPOINT_SECURITY_ENABLED", "0", c -> c.security().enabled(), false),
        override(
            "RUNTIME_ENDPOINT_SECURITY_MODE", "allowlist", c -> c.security().mode(), "allowlist"),
        override(
            "RUNTIME_ENDPOINT_SECURITY_ALLOWLIST",
            "10.0.0.0/8, 192.168.0.0/16,",
            c -> c.security().allowlist(),
            List.of("10.0.0.0/8", "192.168.0.0/16")),
        override(
            "RUNTIME_ENDPOINT_SECURITY_TOKEN_HEADER",
            "X-Admin-Token",
            c -> c.security().tokenHeader(),
            "X-Admin-Token"),
        override(
            "RUNTIME_ENDPOINT_SECURITY_TOKEN_FILE",
            "secrets/token",
            c -> c.security().tokenFile(),
            BASE.resolve("secrets/token").toString()),
        override(
            "RUNTIME_ENDPOINT_SECURITY_TRUSTED_PROXIES",
            "10.1.0.0/16",
            c -> c.security().trustedProxies(),
            List.of("10.1.0.0/16")),
        override("RUNTIME_WORKER_LIFECYCLE_ENABLED", "false", c -> c.lifecycle().enabled(), false),
        override("RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST", "50", c -> c.lifecycle().maxRequest(), 50),
        override(
            "RUNTIME_WORKER_LIFECYCLE_MAX_MEMORY_MB", "256", c -> c.lifecycle().maxMemoryMb(), 256),
        override(
            "RUNTIME_WORKER_LIFECYCLE_MAX_UPTIME_SECOND",
            " 60 ",
            c -> c.lifecycle().maxUptimeSecond(),
            60),
        override(
            "RUNTIME_WORKER_LIFECYCLE_DRAIN_SECOND", "0", c -> c.lifecycle().drainSecond(), 0));
  }

  private static Arguments override(
      String variable, String value, Function<GatewayConfig, Object> read, Object expected) {
    return Arguments.of(variable, value, read, expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("overrides")
  void environmentVariableOverridesTheFile(
      String variable, String value, Function<GatewayConfig, Object> read, Object expected) {
    assertEquals(expected, read.apply(parse(FILE_FOR_OVERRIDES, Map.of(variable, value))));
  }

  @Test
  void overrideAppliesWhenTheFileHasNoSuchSection() {
    GatewayConfig c = parse(ONE_POOL, Map.of("RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST", "7"));

    assertEquals(7, c.lifecycle().maxRequest());
  }

  @ParameterizedTest(name = "{0}={1} reads as {2}")
  @CsvSource({
    "RUNTIME_ENDPOINT_SECURITY_ENABLED, 1,     true",
    "RUNTIME_ENDPOINT_SECURITY_ENABLED, 0,     false",
    "RUNTIME_ENDPOINT_SECURITY_ENABLED, true,  true",
    "RUNTIME_ENDPOINT_SECURITY_ENABLED, false, false",
    "RUNTIME_ENDPOINT_SECURITY_ENABLED, TRUE,  true",
    "RUNTIME_WORKER_LIFECYCLE_ENABLED,  1,     true",
    "RUNTIME_WORKER_LIFECYCLE_ENABLED,  0,     false",
    "RUNTIME_WORKER_LIFECYCLE_ENABLED,  true,  true",
    "RUNTIME_WORKER_LIFECYCLE_ENABLED,  false, false",
  })
  void booleanVariablesAcceptOneZeroTrueFalse(String variable, String value, boolean expected) {
    // The file says the opposite, so only the variable can produce the expected value.
    String file =
        ONE_POOL
            + "security: {enabled: "
            + !expected
            + "}\nlifecycle: {enabled: "
            + !expected
            + "}\n";
    GatewayConfig c = parse(file, Map.of(variable, value));

    boolean actual =
        variable.contains("SECURITY") ? c.security().enabled() : c.lifecycle().enabled();
    assertEquals(expected, actual);
  }

  /** An operator who set a variable must learn that the variable, not the file, is wrong. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
      RUNTIME_ENDPOINT_SECURITY_MODE            ; bogus      ; security.mode (from RUNTIME_ENDPOINT_SECURITY_MODE): "bogus" (expected one of off|allowlist|token|allowlist_or_token|allowlist_and_token)
      RUNTIME_ENDPOINT_SECURITY_ENABLED         ; maybe      ; security.enabled (from RUNTIME_ENDPOINT_SECURITY_ENABLED): "maybe" (expected true or false)
      RUNTIME_WORKER_LIFECYCLE_ENABLED          ; enabled    ; lifecycle.enabled (from RUNTIME_WORKER_LIFECYCLE_ENABLED): "enabled" (expected true or false)
      RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST      ; -1         ; lifecycle.max_request (from RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST): "-1" (expected a whole number from 0 to 2147483647)
      RUNTIME_WORKER_LIFECYCLE_MAX_MEMORY_MB    ; 1.5        ; lifecycle.max_memory_mb (from RUNTIME_WORKER_LIFECYCLE_MAX_MEMORY_MB): "1.5" (expected a whole number from 0 to 1048576)
      RUNTIME_WORKER_LIFECYCLE_MAX_UPTIME_SECOND; 1h         ; lifecycle.max_uptime_second (from RUNTIME_WORKER_LIFECYCLE_MAX_UPTIME_SECOND): "1h" (expected a whole number from 0 to 2147483647)
      RUNTIME_WORKER_LIFECYCLE_DRAIN_SECOND     ; ten        ; lifecycle.drain_second (from RUNTIME_WORKER_LIFECYCLE_DRAIN_SECOND): "ten" (expected a whole number from 0 to 3600)
      RUNTIME_ENDPOINT_SECURITY_ALLOWLIST       ; 10.0.0.0/8,nope ; security.allowlist[1] (from RUNTIME_ENDPOINT_SECURITY_ALLOWLIST): "nope" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)
      RUNTIME_ENDPOINT_SECURITY_TRUSTED_PROXIES ; proxy      ; security.trusted_proxies[0] (from RUNTIME_ENDPOINT_SECURITY_TRUSTED_PROXIES): "proxy" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)
      RUNTIME_ENDPOINT_SECURITY_TOKEN_HEADER    ; X Token    ; security.token_header (from RUNTIME_ENDPOINT_SECURITY_TOKEN_HEADER): "X Token" (expected a header name)
      """)
  void badVariableValueNamesTheVariable(String variable, String value, String expected) {
    assertEquals(List.of(expected), problems(FILE_FOR_OVERRIDES, Map.of(variable, value)));
  }

  /**
   * Regression: a variable used to replace a malformed section silently, hiding the file's mistake.
   */
  @Test
  void overrideDoesNotHideAMalformedSection() {
    List<String> problems =
        problems(
            ONE_POOL + "lifecycle: off\n", Map.of("RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST", "5"));

    assertEquals(List.of("lifecycle: \"false\" (expected a mapping)"), problems);
  }

  @Test
  void tokenVariableIsATokenSourceButNeverPrinted() {
    GatewayConfig c =
        parse(
            ONE_POOL + "security: {mode: token}\n",
            Map.of("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN));

    assertEquals(TOKEN, c.security().token().value());
    assertTrue(c.security().hasTokenSource());
    assertFalse(c.toString().contains(TOKEN), c.toString());
    assertFalse(c.security().toString().contains(TOKEN));
  }

  @Test
  void tokenNeverAppearsInErrorMessages() {
    Map<String, String> env = new HashMap<>();
    env.put("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN);
    env.put("RUNTIME_ENDPOINT_SECURITY_MODE", "nonsense");
    env.put("RUNTIME_ENDPOINT_SECURITY_TOKEN_HEADER", "bad header");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    """
        security: {token_file: "", allowlist: [nope], token: x}
        pools: {}
        """,
                    env));

    assertTrue(e.problems().size() >= 4, e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    e.problems().forEach(p -> assertFalse(p.contains(TOKEN), p));
  }

  // --- ${VAR} expansion ------------------------------------------------------------------------

  @ParameterizedTest(name = "host: {0} with {1} → {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "(unset)",
      textBlock =
          """
      ${HOST}              | 10.0.0.5 | 10.0.0.5
      ${HOST:-127.0.0.1}   | 10.0.0.5 | 10.0.0.5
      ${HOST:-127.0.0.1}   | (unset)  | 127.0.0.1
      ${HOST:-127.0.0.1}   | ''       | 127.0.0.1
      '"${HOST}"'          | ''       | ''
      '"$${HOST}"'         | 10.0.0.5 | ${HOST}
      '"a-${HOST}-$${HOST}"' | b      | a-b-${HOST}
      '"x # ${HOST}"'      | h        | x # h
      """)
  void variablesExpandWithDefaultsAndEscapes(String written, String value, String expected) {
    Map<String, String> env = value == null ? Map.of() : Map.of("HOST", value);
    GatewayConfig c = parse(ONE_POOL + "listen: {host: " + written + "}\n", env);

    assertEquals(expected == null ? "" : expected, c.listen().host());
  }

  @Test
  void unsetVariableWithoutDefaultFailsNamingTheLine() {
    List<String> problems = problems(ONE_POOL + "listen:\n  port: ${GATEWAY_PORT}\n");

    assertEquals(List.of("test.yaml:4: ${GATEWAY_PORT} is not set and has no default"), problems);
  }

  @Test
  void expandedNumberKeepsItsYamlType() {
    assertEquals(9090, parse(ONE_POOL + "listen: {port: ${PORT:-9090}}\n").listen().port());
  }

  @Test
  void variablesInCommentsAreNotExpanded() {
    GatewayConfig c =
        parse(
            "# set ${NOT_SET} to ...\n"
                + ONE_POOL
                + "listen: {host: 127.0.0.1}   # or ${ALSO_NOT_SET}\n");

    assertEquals("127.0.0.1", c.listen().host());
  }

  @ParameterizedTest(name = "[{0}] comment starts at {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      '# all comment'                 | 0
      'a: b # c'                      | 5
      'a: b#c'                        | 6
      'a: "b # c" # d'                | 11
      'a: ''it''''s # x'' # y'        | 15
      'a: it''s # x'                  | 8
      'a: "esc \\" # x" # y'          | 16
      """)
  void commentStartFollowsYamlQuoting(String line, int expected) {
    assertEquals(expected, EnvExpansion.commentStart(line));
  }

  // --- relative paths ----------------------------------------------------------------------------

  @Test
  void relativePathsResolveAgainstTheConfigFilesFolder(@TempDir Path dir) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path file =
        Files.writeString(
            conf.resolve("gateway.yaml"),
            """
        security: {token_file: secrets/token}
        pools:
          worker: {engine: php-worker, instances: ["127.0.0.1:8081"]}
          fpm: {engine: fpm, instances: ["127.0.0.1:9000"], fastcgi: {document_root: ../public}}
        split: {weights: {worker: 0, fpm: 100}}
        access_log: {path: logs/access.log}
        canary: {pool: worker, baseline: fpm, state_file: state/canary.json, policy: /opt/slo.yaml}
        """);

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertEquals(conf.resolve("secrets/token").toString(), c.security().tokenFile());
    assertEquals(dir.resolve("public").toString(), c.pool("fpm").fastcgi().documentRoot());
    assertEquals(conf.resolve("logs/access.log").toString(), c.accessLog().path());
    assertEquals(conf.resolve("state/canary.json").toString(), c.canary().stateFile());
    assertEquals("/opt/slo.yaml", c.canary().policy(), "absolute paths stay as written");
    assertEquals(file.toString(), c.source());
  }

  @Test
  void missingFileIsAConfigError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));

    assertEquals(List.of(missing + ": no such file"), e.problems());
  }
}
