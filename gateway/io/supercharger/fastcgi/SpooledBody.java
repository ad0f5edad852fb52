package io.supercharger.fastcgi;

import io.supercharger.upstream.BodyWatch;
import io.supercharger.upstream.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
 *
 * <p>The owner registers {@link #discard()} with the exchange before reading starts: whenever the
 * exchange ends (answered, refused, or the client gone mid-upload), the file and any reader of it
 * are closed and deleted, even if a file operation was still under way.
 */
final class SpooledBody {
  static final int MEMORY_BYTES = 1 << 20;

  /**
   * Opens the file createTempFile made, never a new one: a discard may delete it while the open
   * waits for a worker thread, and an open that creates would bring back an empty file no one
   * deletes.
   */
  private static final OpenOptions SPILL_FILE =
      new OpenOptions().setWrite(true).setCreate(false).setTruncateExisting(true);

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
  private AsyncFile reader;
  private boolean discarded;

  /** A temporary file is being created for the body: the next chunks wait in memory. */
  private boolean spilling;

  private boolean endedWhileSpilling;

  SpooledBody(Vertx vertx) {
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
    closeReader();
    return vertx
        .fileSystem()
        // Never create: a discard may have deleted the file while this open waited for a thread,
        // and an open that creates would leave an empty file behind.
        .open(file, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .map(
            f -> {
              if (discarded) {
                f.close();
                throw new IllegalStateException(
                    "the exchange ended while the spooled body was opened");
              }
              reader = f;
              return (ReadStream<Buffer>) f.pause();
            });
  }

  /** Frees everything: memory, the reader, the writer and the temporary file. Idempotent. */
  void discard() {
    discarded = true;
    memory.clear();
    closeReader();
    if (out != null) {
      out.close();
      out = null;
    }
    deleteFile();
  }

  private void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  private void deleteFile() {
    if (file != null) {
      String path = file;
      file = null;
      vertx
          .fileSystem()
          .delete(path)
          .onFailure(e -> LOG.warning("cannot delete spooled body " + path + ": " + e));
    }
  }

  Future<SpooledBody> read(Exchange exchange, long maxBytes, long stallMs) {
    Promise<SpooledBody> done = Promise.promise();
    HttpServerRequest request = exchange.request;
    BodyWatch watch = new BodyWatch(vertx, stallMs, () -> refuse(request, done, 408));
    request.handler(
        chunk -> {
          watch.touch();
          length += chunk.length();
          exchange.addBytesIn(chunk.length());
          if (length > maxBytes) {
            watch.stop();
            refuse(request, done, 413);
          } else if (out != null) {
            out.write(chunk);
            if (out.writeQueueFull()) {
              request.pause();
              out.drainHandler(v -> request.resume());
            }
          } else {
            memory.add(chunk);
            // A chunk already on its way may still arrive after the pause below: it waits in
            // memory for the file the first spill opens. A second spill would open a second file
            // and leave the first behind.
            if (length > MEMORY_BYTES && !spilling) {
              spill(request, done);
            }
          }
        });
    request.endHandler(
        v -> {
          watch.stop();
          if (spilling && out == null) {
            endedWhileSpilling = true; // the spill ends the body once the file holds it all
          } else {
            ended(done);
          }
        });
    request.resume();
    return done.future();
  }

  private void ended(Promise<SpooledBody> done) {
    if (out == null) {
      done.tryComplete(this);
      return;
    }
    AsyncFile written = out;
    out = null;
    written.close().onComplete(closed(done));
  }

  private Handler<io.vertx.core.AsyncResult<Void>> closed(Promise<SpooledBody> done) {
    return ar -> {
      if (ar.succeeded() && !discarded) {
        done.tryComplete(this);
      } else {
        discard();
        done.tryFail(ar.failed() ? ar.cause() : new Refused(400));
      }
    };
  }

  /** Past the memory budget: the rest goes to a temporary file, starting with what is held. */
  private void spill(HttpServerRequest request, Promise<SpooledBody> done) {
    spilling = true;
    request.pause();
    vertx
        .fileSystem()
        .createTempFile("supercharger-body-", ".tmp")
        .compose(
            path -> {
              file = path;
              return vertx.fileSystem().open(path, SPILL_FILE);
            })
        .onComplete(
            ar -> {
              if (ar.failed() || discarded || done.future().isComplete()) {
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
              if (endedWhileSpilling) {
                ended(done);
              } else {
                request.resume();
              }
            });
  }

  private void refuse(HttpServerRequest request, Promise<SpooledBody> done, int status) {
    request.handler(null);
    request.endHandler(null);
    discard();
    done.tryFail(new Refused(status));
  }
}
