package io.supercharger.fastcgi;

import io.supercharger.upstream.BodyWatch;
import io.supercharger.upstream.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * A request body of unknown length (chunked) read whole before FastCGI can send it, since FastCGI
 * needs CONTENT_LENGTH first: in memory up to {@link #MEMORY_BYTES}, then in a temporary file, with
 * back-pressure on the client either way. Bounded by max_body_bytes (413) and body_read_ms (408).
 * It is read before a pool slot is taken, so a slow upload never holds an FPM child.
 */
final class SpooledBody {
  static final int MEMORY_BYTES = 1 << 20;
  private static final Logger LOG = Logger.getLogger(SpooledBody.class.getName());

  /** Why spooling stopped early: the status to answer. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  private final Vertx vertx;
  private final ArrayDeque<Buffer> memory = new ArrayDeque<>();
  private long length;
  private String file;
  private AsyncFile out;

  private SpooledBody(Vertx vertx) {
    this.vertx = vertx;
  }

  long length() {
    return length;
  }

  /** A fresh stream over the body (a retry reads it again), paused until the client resumes it. */
  Future<ReadStream<Buffer>> open() {
    if (file == null) {
      return Future.succeededFuture(new BufferedBody(new ArrayDeque<>(memory)));
    }
    return vertx
        .fileSystem()
        .open(file, new OpenOptions().setRead(true).setWrite(false))
        .map(f -> (ReadStream<Buffer>) f.pause());
  }

  /** Frees the temporary file, if any. */
  void discard() {
    if (file != null) {
      String path = file;
      file = null;
      vertx
          .fileSystem()
          .delete(path)
          .onFailure(e -> LOG.warning("cannot delete spooled body " + path + ": " + e));
    }
  }

  static Future<SpooledBody> read(Vertx vertx, Exchange exchange, long maxBytes, long stallMs) {
    SpooledBody body = new SpooledBody(vertx);
    Promise<SpooledBody> done = Promise.promise();
    HttpServerRequest request = exchange.request;
    BodyWatch watch = new BodyWatch(vertx, stallMs, () -> body.fail(request, done, 408));
    request.handler(
        chunk -> {
          watch.touch();
          body.length += chunk.length();
          exchange.addBytesIn(chunk.length());
          if (body.length > maxBytes) {
            watch.stop();
            body.fail(request, done, 413);
          } else if (body.out != null) {
            body.out.write(chunk);
            if (body.out.writeQueueFull()) {
              request.pause();
              body.out.drainHandler(v -> request.resume());
            }
          } else {
            body.memory.add(chunk);
            if (body.length > MEMORY_BYTES) {
              body.spill(request, done);
            }
          }
        });
    request.endHandler(
        v -> {
          watch.stop();
          if (body.out == null) {
            done.tryComplete(body);
          } else {
            body.out
                .close()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        done.tryComplete(body);
                      } else {
                        body.discard();
                        done.tryFail(ar.cause());
                      }
                    });
          }
        });
    request.resume();
    return done.future();
  }

  /** Past the memory budget: the rest goes to a temporary file, starting with what is held. */
  private void spill(HttpServerRequest request, Promise<SpooledBody> done) {
    request.pause();
    vertx
        .fileSystem()
        .createTempFile("supercharger-body-", ".tmp")
        .compose(
            path -> {
              file = path;
              return vertx
                  .fileSystem()
                  .open(path, new OpenOptions().setWrite(true).setTruncateExisting(true));
            })
        .onComplete(
            ar -> {
              if (ar.failed() || done.future().isComplete()) {
                if (ar.succeeded()) {
                  ar.result().close();
                }
                discard();
                done.tryFail(ar.failed() ? ar.cause() : new Refused(413));
                return;
              }
              out = ar.result();
              while (!memory.isEmpty()) {
                out.write(memory.poll());
              }
              request.resume();
            });
  }

  private void fail(HttpServerRequest request, Promise<SpooledBody> done, int status) {
    request.handler(null);
    request.endHandler(null);
    memory.clear();
    if (out != null) {
      out.close();
    }
    discard();
    done.tryFail(new Refused(status));
  }
}
