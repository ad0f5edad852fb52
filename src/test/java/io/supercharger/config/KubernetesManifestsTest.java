package io.supercharger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes example must hold a gateway config that loads, and probes the gateway really
 * serves.
 */
class KubernetesManifestsTest {

  @Test
  @SuppressWarnings("unchecked")
  void theConfigMapHoldsAValidGatewayConfigAndTheProbesUseTheReservedPaths() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc :
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .loadAll(Files.readString(Path.of("k8s/gateway.yaml")))) {
      docs.add((Map<String, Object>) doc);
    }
    assertEquals(
        List.of("ConfigMap", "Deployment", "Service", "PodDisruptionBudget"),
        docs.stream().map(d -> d.get("kind")).toList());
    String gatewayYaml = ((Map<String, String>) docs.get(0).get("data")).get("gateway.yaml");
    GatewayConfig config =
        ConfigLoader.parse(gatewayYaml, "k8s/gateway.yaml", Path.of("/etc/supercharger"), Map.of());
    assertEquals("allowlist_or_token", config.security().effectiveMode());
    assertNotNull(config.canary());
    String deployment = docs.get(1).toString();
    assertTrue(deployment.contains("path=" + config.endpoints().ready()), deployment);
    assertTrue(deployment.contains("path=" + config.endpoints().health()), deployment);
  }
}
