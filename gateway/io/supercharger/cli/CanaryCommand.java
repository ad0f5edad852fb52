package io.supercharger.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code supercharger canary status|promote|pause|resume|rollback|weight N}: the admin API's canary
 * endpoints for operators, and the runbook's one-command rollback. Exit 0 when the gateway did it,
 * 1 when it refused or could not be reached, 2 (via Main) on usage errors.
 */
final class CanaryCommand {
  private static final List<String> ACTIONS =
      List.of("status", "promote", "pause", "resume", "rollback", "weight");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  int run(Args args, PrintStream out, PrintStream err) {
    Call call = Call.of(args);
    HttpResponse<String> response;
    try {
      response = send(call);
    } catch (IOException e) {
      err.println(
          "supercharger canary: cannot reach the gateway at " + call.uri() + ": " + reason(e));
      return Main.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("supercharger canary: interrupted");
      return Main.EXIT_FAILURE;
    }
    JsonObject body = parse(response.body());
    if (response.statusCode() != 200 || body == null) {
      err.println(
          "supercharger canary: the gateway refused "
              + call.action()
              + ": "
              + refusal(response, body));
      return Main.EXIT_FAILURE;
    }
    if (args.flag("json")) {
      out.println(response.body().strip());
    } else if (call.action().equals("status")) {
      out.print(CanaryText.status(body));
    } else {
      out.print(CanaryText.change(body));
    }
    return Main.EXIT_OK;
  }

  /** One admin call, validated from the command line before anything is sent. */
  private record Call(String action, URI uri, String token, boolean mutation) {
    /** Without the token: a record would print every component. */
    @Override
    public String toString() {
      return action + " " + uri;
    }

    static Call of(Args args) {
      List<String> pos = args.positional();
      if (pos.isEmpty()) {
        throw new Args.UsageException("which action? one of " + String.join("|", ACTIONS));
      }
      String action = pos.get(0);
      if (!ACTIONS.contains(action)) {
        throw new Args.UsageException(
            "unknown action '" + action + "' (expected one of " + String.join("|", ACTIONS) + ")");
      }
      String query = "";
      if (action.equals("weight")) {
        if (pos.size() < 2) {
          throw new Args.UsageException("weight needs a percent: supercharger canary weight N");
        }
        query = "value=" + percent(pos.get(1));
      } else if (pos.size() > 1) {
        throw new Args.UsageException("unexpected argument '" + pos.get(1) + "' (see --help)");
      }
      boolean mutation = !action.equals("status");
      if (args.flag("dry-run")) {
        if (!mutation) {
          throw new Args.UsageException(
              "--dry-run applies to promote|pause|resume|rollback|weight");
        }
        query = query.isEmpty() ? "dry_run=1" : query + "&dry_run=1";
      }
      String path =
          adminPath(args.option("admin-path")) + "/canary" + (mutation ? "/" + action : "");
      URI uri = baseUri(args.option("url")).resolve(path + (query.isEmpty() ? "" : "?" + query));
      return new Call(action, uri, token(args.option("token-file")), mutation);
    }

    private static int percent(String v) {
      try {
        int n = Integer.parseInt(v);
        if (n >= 0 && n <= 100) {
          return n;
        }
      } catch (NumberFormatException e) {
        // falls through to the usage message below
      }
      throw new Args.UsageException("weight " + v + " (expected a whole number from 0 to 100)");
    }

    private static URI baseUri(String url) {
      if (url == null) {
        throw new Args.UsageException("--url is required, e.g. --url http://127.0.0.1:8080");
      }
      try {
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null
            && uri.getRawQuery() == null) {
          return uri;
        }
      } catch (IllegalArgumentException e) {
        // falls through to the usage message below
      }
      throw new Args.UsageException(
          "--url " + url + " (expected http://HOST:PORT or https://HOST:PORT)");
    }

    private static String adminPath(String p) {
      String path = p == null ? "/admin" : p;
      if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
        throw new Args.UsageException("--admin-path " + path + " (expected a path like /admin)");
      }
      return path;
    }

    /** Read once and trimmed. The token itself never appears in a message. */
    private static String token(String file) {
      if (file == null) {
        return null;
      }
      String token;
      try {
        token = Files.readString(Path.of(file)).strip();
      } catch (IOException | RuntimeException e) {
        throw new Args.UsageException("--token-file " + file + ": cannot read it");
      }
      if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new Args.UsageException(
            "--token-file " + file + ": expected one line holding the token");
      }
      return token;
    }
  }

  private static HttpResponse<String> send(Call call) throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(REQUEST_TIMEOUT)
            .header("accept", "application/json");
    // Bearer is accepted whatever token_header the gateway is configured with.
    if (call.token() != null) {
      request.header("authorization", "Bearer " + call.token());
    }
    request = call.mutation() ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String reason(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String refusal(HttpResponse<String> response, JsonObject body) {
    int status = response.statusCode();
    if (body != null && body.getValue("error") instanceof String error) {
      return status + " " + error;
    }
    if (status == 403) {
      return "403 forbidden (check --token-file, and that this address may use the admin endpoints)";
    }
    if (status == 200) {
      return "200 with an answer that is not JSON (is --url the gateway?)";
    }
    return status
        + (status == 404 ? " (is --url the gateway, and --admin-path its admin path?)" : "");
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
