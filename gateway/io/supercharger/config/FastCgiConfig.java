package io.supercharger.config;

/**
 * How to reach php-fpm. Every request goes to {@code index} (front controller), so no other file
 * can ever run. {@code maxChildren} is FPM's pm.max_children: never more open connections.
 */
public record FastCgiConfig(String documentRoot, String index, int maxChildren, boolean keepAlive) {

  static FastCgiConfig read(Node node, ConfigPaths paths) {
    String root = node.string("document_root", null);
    if (root == null || root.isEmpty()) {
      node.problems().add(node.pathOf("document_root") + ": required for a fastcgi pool");
      root = "/";
    } else {
      root = paths.resolve(root);
    }
    String index = node.string("index", "index.php");
    if (!index.endsWith(".php") || index.contains("..") || index.startsWith("/")) {
      node.problems()
          .add(
              node.pathOf("index"),
              index,
              "expected a .php file relative to document_root, like index.php");
    }
    FastCgiConfig c =
        new FastCgiConfig(
            root,
            index,
            node.integer("max_children", 4, 1, 100_000),
            node.bool("keep_alive", false));
    node.rejectUnknownKeys();
    return c;
  }
}
