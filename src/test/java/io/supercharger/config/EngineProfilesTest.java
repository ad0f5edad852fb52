package io.supercharger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine profiles in conf/ are examples operators copy: each must load, name its engine, read
 * stats where that engine's adapter expects them, recycle the documented way, and take the
 * runbook's RUNTIME_WORKER_LIFECYCLE_* values.
 */
class EngineProfilesTest {

  @ParameterizedTest(name = "conf/{0}.yaml")
  @CsvSource({
    "roadrunner, roadrunner, http://{host}:2112/metrics, exec",
    "frankenphp, frankenphp, http://{host}:2019/metrics, http",
    "swoole,     swoole,     /__swoole/stats,            signal",
    "fpm,        fpm,        /__fpm/status,              none",
  })
  void profileLoadsWithItsEngineStatsAndRecycle(
      String file, String engine, String statsUrl, String action) {
    GatewayConfig config =
        ConfigLoader.load(
            Path.of("conf", file + ".yaml"), Map.of("RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST", "250"));
    List<PoolConfig> pools = List.copyOf(config.pools().values());
    assertEquals(1, pools.size());
    PoolConfig pool = pools.get(0);
    assertEquals(engine, pool.engine());
    assertEquals(statsUrl, pool.stats().url());
    assertEquals(action, pool.recycle() == null ? "none" : pool.recycle().action());
    assertEquals(
        250, pool.lifecycle().maxRequest(), "the runbook's variable overrides the profile");
  }
}
