<?php
declare(strict_types=1);

/** One client connection and the bytes it sent that are not yet consumed. */
final class Connection
{
    public string $buffer = '';
    public bool $continueSent = false;
    /** The peer half-closed: serve what is buffered, then close. */
    public bool $eof = false;

    /** @param resource $socket */
    public function __construct(public $socket)
    {
    }
}

/**
 * The serving loop: accepts, reads, and answers one request at a time across all connections.
 * Exit codes: 0 after SIGTERM/SIGINT or --max-requests, 1 if it cannot listen.
 */
final class WorkerServer
{
    private const READ_CHUNK = 65536;
    private const WRITE_TIMEOUT_SECONDS = 30.0;
    private const REASONS = [
        100 => 'Continue', 200 => 'OK', 201 => 'Created', 202 => 'Accepted', 204 => 'No Content',
        301 => 'Moved Permanently', 302 => 'Found', 304 => 'Not Modified', 400 => 'Bad Request',
        401 => 'Unauthorized', 403 => 'Forbidden', 404 => 'Not Found', 405 => 'Method Not Allowed',
        408 => 'Request Timeout', 413 => 'Content Too Large', 429 => 'Too Many Requests',
        431 => 'Request Header Fields Too Large', 500 => 'Internal Server Error',
        501 => 'Not Implemented', 502 => 'Bad Gateway', 503 => 'Service Unavailable',
        504 => 'Gateway Timeout',
    ];

    /** @var resource|null */
    private $listener = null;
    /** @var array<int,Connection> keyed by socket id */
    private array $connections = [];
    private int $requestsTotal = 0;
    private bool $stopping = false;
    private bool $busy = false;
    private float $startedAt;
    private int $parentPid;

    public function __construct(
        private readonly WorkerApp $app,
        private readonly string $listen,
        private readonly int $maxRequests,
        private readonly string $statusPath,
        private readonly bool $exitWithParent,
    ) {
        $this->startedAt = microtime(true);
        $this->parentPid = posix_getppid();
    }

    public function run(): int
    {
        $this->listener = @stream_socket_server('tcp://' . $this->listen, $errno, $error, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
            stream_context_create(['socket' => ['backlog' => 128, 'so_reuseaddr' => true]]));
        if ($this->listener === false) {
            self::log("cannot listen on {$this->listen}: $error");
            return 1;
        }
        stream_set_blocking($this->listener, false);
        $this->installSignalHandlers();
        self::log(sprintf('listening on %s (max_requests=%d, status_path=%s, php %s)',
            $this->listen, $this->maxRequests, $this->statusPath, PHP_VERSION));

        $pending = false;
        while (!$this->stopping) {
            $this->poll($pending ? 0.0 : 1.0);
            $pending = $this->serveRound();
            if ($this->exitWithParent && posix_getppid() !== $this->parentPid) {
                self::log('parent process is gone: exiting');
                $this->stopping = true;
            }
        }
        $this->drain();
        foreach ($this->connections as $connection) {
            $this->close($connection);
        }
        fclose($this->listener);
        self::log(sprintf('exiting after %d requests', $this->requestsTotal));
        return 0;
    }

    private function installSignalHandlers(): void
    {
        pcntl_async_signals(true);
        $handler = function (int $signal): void {
            $name = $signal === SIGTERM ? 'SIGTERM' : 'SIGINT';
            self::log($this->busy ? "$name while serving a request: finishing it, then exiting" : "$name while idle: exiting");
            $this->stopping = true;
        };
        pcntl_signal(SIGTERM, $handler);
        pcntl_signal(SIGINT, $handler);
    }

    /** Accepts new connections and reads whatever the open ones have sent. */
    private function poll(float $timeoutSeconds): void
    {
        $read = [$this->listener];
        foreach ($this->connections as $connection) {
            if (!$connection->eof) {
                $read[] = $connection->socket;
            }
        }
        $write = $except = null;
        $seconds = (int) $timeoutSeconds;
        // A signal interrupts select (EINTR): that is the wake-up we want, not an error.
        if (!@stream_select($read, $write, $except, $seconds, (int) (($timeoutSeconds - $seconds) * 1e6))) {
            return;
        }
        foreach ($read as $socket) {
            if ($socket === $this->listener) {
                $this->accept();
            } else {
                $this->read($this->connections[(int) $socket]);
            }
        }
    }

    private function accept(): void
    {
        while (($socket = @stream_socket_accept($this->listener, 0)) !== false) {
            stream_set_blocking($socket, false);
            stream_set_read_buffer($socket, 0);
            $this->connections[(int) $socket] = new Connection($socket);
        }
    }

    private function read(Connection $connection): void
    {
        $data = @fread($connection->socket, self::READ_CHUNK);
        if ($data === false || ($data === '' && feof($connection->socket))) {
            $connection->eof = true;
            if ($connection->buffer === '') {
                $this->close($connection);
            }
            return;
        }
        $connection->buffer .= $data;
    }

    /**
     * Serves at most one request per connection, so a pipelining client cannot starve the others.
     * Returns whether a connection still holds buffered bytes that may form a complete request.
     */
    private function serveRound(): bool
    {
        $pending = false;
        foreach ($this->connections as $connection) {
            if ($this->stopping) {
                break;
            }
            $pending = $this->serveOne($connection) || $pending;
        }
        return $pending;
    }

    /** A SIGTERM may land after a request reached us but before we read it: answer those too. */
    private function drain(): void
    {
        if ($this->maxRequests > 0 && $this->requestsTotal >= $this->maxRequests) {
            return;
        }
        $this->poll(0.0);
        foreach ($this->connections as $connection) {
            $this->serveOne($connection);
        }
    }

    private function serveOne(Connection $connection): bool
    {
        if ($connection->buffer === '' || !isset($this->connections[(int) $connection->socket])) {
            return false;
        }
        try {
            $parsed = HttpRequestParser::parse($connection->buffer);
        } catch (BadRequest $e) {
            self::log("bad request ({$e->status}): {$e->getMessage()}; closing the connection");
            $body = json_encode(['error' => $e->getMessage()]) . "\n";
            $this->respond($connection, $e->status, ['Content-Type' => 'application/json'], $body, false, false);
            return false;
        }
        if ($parsed->request === null) {
            if ($connection->eof) {
                $this->close($connection);
            } elseif ($parsed->expectsContinue && !$connection->continueSent) {
                $connection->continueSent = true;
                $this->writeAll($connection, "HTTP/1.1 100 Continue\r\n\r\n");
            }
            return false;
        }
        $connection->buffer = (string) substr($connection->buffer, $parsed->consumed);
        $connection->continueSent = false;
        $request = $parsed->request;

        if ($request['path'] === $this->statusPath && in_array($request['method'], ['GET', 'HEAD'], true)) {
            [$status, $headers, $body] = [200, ['Content-Type' => 'application/json'], $this->statusBody()];
        } else {
            [$status, $headers, $body] = $this->callApp($request);
        }
        $lastRequest = $this->maxRequests > 0 && $this->requestsTotal >= $this->maxRequests;
        $keepAlive = $parsed->keepAlive && !$this->stopping && !$lastRequest && !$connection->eof;
        $this->respond($connection, $status, $headers, $body, $request['method'] === 'HEAD', $keepAlive,
            $request['protocol'] === 'HTTP/1.0');
        $this->afterResponse();
        if ($lastRequest) {
            self::log("served max_requests={$this->maxRequests}: exiting");
            $this->stopping = true;
        }
        return $keepAlive && $connection->buffer !== '';
    }

    /** @return array{0:int,1:array<string,string|list<string>>,2:string} */
    private function callApp(array $request): array
    {
        $this->requestsTotal++;
        // Busy until afterResponse() is done: a SIGTERM meanwhile still lets terminate and the resets run.
        $this->busy = true;
        try {
            return $this->app->handle($request);
        } catch (Throwable $e) {
            self::log('app error: ' . get_class($e) . ': ' . $e->getMessage());
            return [500, ['Content-Type' => 'application/json'], json_encode(['error' => 'app error']) . "\n"];
        }
    }

    /** The app's terminate and resets, once the client has its answer. */
    private function afterResponse(): void
    {
        try {
            $this->app->afterResponse();
        } catch (Throwable $e) {
            self::log('app error after the response: ' . get_class($e) . ': ' . $e->getMessage());
        } finally {
            $this->busy = false;
        }
    }

    private function statusBody(): string
    {
        return json_encode([
            'pid' => getmypid(),
            'memory_bytes' => memory_get_usage(true),
            'peak_memory_bytes' => memory_get_peak_usage(true),
            'rss_bytes' => self::rssBytes(),
            'uptime_seconds' => round(microtime(true) - $this->startedAt, 3),
            'requests_total' => $this->requestsTotal,
            'max_requests' => $this->maxRequests,
            'started_at' => date(DATE_ATOM, (int) $this->startedAt),
            'connections' => count($this->connections),
        ] + $this->app->status(), JSON_UNESCAPED_SLASHES) . "\n";
    }

    private static function rssBytes(): ?int
    {
        $status = @file_get_contents('/proc/self/status');
        return $status !== false && preg_match('/^VmRSS:\s+(\d+)\s+kB/m', $status, $m) ? (int) $m[1] * 1024 : null;
    }

    /**
     * Always framed with Content-Length computed here: the app's own framing headers are dropped.
     * HEAD is the exception: the body is not sent, so the app's Content-Length (what a GET would
     * have carried) is kept when it gave one.
     */
    private function respond(Connection $connection, int $status, array $headers, string $body, bool $head,
                             bool $keepAlive, bool $http10 = false): void
    {
        $out = sprintf("HTTP/1.1 %d %s\r\n", $status, self::REASONS[$status] ?? '');
        $length = strlen($body);
        $hasDate = false;
        foreach ($headers as $name => $values) {
            $lower = strtolower((string) $name);
            if ($lower === 'content-length' && $head && $body === '') {
                $length = (int) (is_array($values) ? reset($values) : $values);
            }
            if (in_array($lower, ['content-length', 'connection', 'transfer-encoding'], true)) {
                continue;
            }
            $hasDate = $hasDate || $lower === 'date';
            foreach ((array) $values as $value) {
                $out .= "$name: $value\r\n";
            }
        }
        if (!$hasDate) {
            $out .= 'Date: ' . gmdate('D, d M Y H:i:s') . " GMT\r\n";
        }
        $out .= 'Content-Length: ' . $length . "\r\n";
        if (!$keepAlive) {
            $out .= "Connection: close\r\n";
        } elseif ($http10) {
            $out .= "Connection: keep-alive\r\n";
        }
        $out .= "\r\n" . ($head ? '' : $body);
        if (!$this->writeAll($connection, $out) || !$keepAlive) {
            $this->close($connection);
        }
    }

    private function writeAll(Connection $connection, string $data): bool
    {
        $deadline = microtime(true) + self::WRITE_TIMEOUT_SECONDS;
        while ($data !== '') {
            $written = @fwrite($connection->socket, $data);
            if ($written === false) {
                return false;
            }
            $data = (string) substr($data, $written);
            if ($data !== '') {
                $left = $deadline - microtime(true);
                if ($left <= 0) {
                    self::log('write timed out: closing the connection');
                    return false;
                }
                $read = $except = null;
                $write = [$connection->socket];
                @stream_select($read, $write, $except, 0, (int) min(1e6 - 1, $left * 1e6));
            }
        }
        return true;
    }

    private function close(Connection $connection): void
    {
        unset($this->connections[(int) $connection->socket]);
        @fclose($connection->socket);
    }

    private static function log(string $message): void
    {
        fwrite(STDERR, sprintf("%s worker[%d] %s\n", gmdate('Y-m-d\TH:i:s\Z'), getmypid(), $message));
    }
}
