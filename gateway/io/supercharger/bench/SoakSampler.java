package io.supercharger.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the gateway's /status every N seconds during a run (with the token, as an operator would),
 * so the report can show memory per instance, states and recycles over time.
 */
public final class SoakSampler implements AutoCloseable {
  private final URI statusUri;
  private final String token;
  private final Duration every;
  private final long startNanos;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final List<StatusSample> samples = new ArrayList<>();
  private ScheduledExecutorService timer;

  /**
   * @param statusUri the full /status URI
   */
  public SoakSampler(URI statusUri, String token, Duration every, long startNanos) {
    this.statusUri = statusUri;
    this.token = token;
    this.every = every;
    this.startNanos = startNanos;
  }

  /** Takes the first sample now and then one every period, on a daemon thread. */
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "soak-sampler");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::sampleOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops sampling, takes a last sample, and returns them all in time order. */
  public List<StatusSample> finish() {
    close();
    sampleOnce();
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  void sampleOnce() {
    double t = (System.nanoTime() - startNanos) / 1e9;
    StatusSample s;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(statusUri)
                  .timeout(Duration.ofSeconds(5))
                  .header("X-Runtime-Token", token == null ? "" : token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      s =
          r.statusCode() == 200
              ? StatusSample.parse(t, new JsonObject(r.body()))
              : StatusSample.failed(t, "HTTP " + r.statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      s = StatusSample.failed(t, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    synchronized (samples) {
      samples.add(s);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
  }
}
