package io.supercharger.server;

import io.supercharger.canary.PoolWindows;
import io.supercharger.config.GatewayConfig;
import io.supercharger.fastcgi.FastCgiPoolLimits;
import io.supercharger.routing.RouteTable;
import io.supercharger.security.ClientAddressResolver;
import io.supercharger.split.Splitter;
import io.supercharger.telemetry.AccessLog;
import io.supercharger.telemetry.GatewayMetrics;
import io.supercharger.upstream.Pool;
import java.util.List;
import java.util.Map;

/** What every event loop shares: immutable config and thread-safe owners. */
record SharedState(
    GatewayConfig config,
    RouteTable routes,
    Splitter splitter,
    List<Pool> pools,
    Map<String, Pool> poolsByName,
    ClientAddressResolver resolver,
    ReservedEndpoints reserved,
    GatewayMetrics metrics,
    AccessLog accessLog,
    Map<String, FastCgiPoolLimits> fastCgiLimits,
    PoolWindows windows) {}
