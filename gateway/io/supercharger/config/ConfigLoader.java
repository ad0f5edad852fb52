package io.supercharger.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads a config: YAML file, then the runbook's environment variables, then validation. The
 * built-in defaults are the fallbacks of each reader; conf/gateway.yaml spells them out and is the
 * config used when none is given.
 */
public final class ConfigLoader {
  public static final String EMBEDDED_DEFAULT = "conf/gateway.yaml";

  private ConfigLoader() {}

  public static GatewayConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), base, env);
  }

  public static GatewayConfig loadEmbeddedDefault(Map<String, String> env) {
    try (InputStream in =
        ConfigLoader.class.getClassLoader().getResourceAsStream(EMBEDDED_DEFAULT)) {
      if (in == null) {
        throw new ConfigException(EMBEDDED_DEFAULT + ": missing from the jar");
      }
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return parse(text, "(embedded " + EMBEDDED_DEFAULT + ")", Path.of("").toAbsolutePath(), env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GatewayConfig parse(
      String yaml, String source, Path baseDir, Map<String, String> env) {
    Map<String, Object> tree =
        new LinkedHashMap<>(readYaml(EnvExpansion.expand(yaml, env, source), source));
    EnvOverrides.apply(tree, env);
    Problems problems = new Problems();
    Node root = new Node("", tree, problems);
    GatewayConfig config =
        GatewayConfig.read(
            root, new ConfigPaths(baseDir), env.get(EnvOverrides.TOKEN_VARIABLE), source);
    problems.throwIfAny();
    return config;
  }

  private static Map<String, Object> readYaml(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      throw new ConfigException(
          source
              + ":"
              + (mark.getLine() + 1)
              + ":"
              + (mark.getColumn() + 1)
              + ": invalid YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + ": invalid YAML: " + e.getMessage());
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new ConfigException(source + ": expected a mapping at the top level");
    }
    return Node.asStringMap(map);
  }
}
