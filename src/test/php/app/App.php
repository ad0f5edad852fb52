<?php
declare(strict_types=1);

/**
 * The sample app: the same code behind the FPM pool (public/index.php) and the worker pool
 * (worker.php). Its entry point is App::handle(), which takes a request array and returns
 * [status, headers, body].
 *
 * Request array: method, uri (request-target as received), path, query (array), headers
 * (name => value, names as received), body (string), protocol.
 *
 * Everything held in static properties is "warm state": in worker mode it survives from one
 * request to the next, under FPM it is rebuilt for every request. The fault switches use that
 * difference on purpose (leak_kb, leak).
 */
final class App
{
    private const CATEGORIES = [
        ['id' => 1, 'name' => 'Books', 'slug' => 'books'],
        ['id' => 2, 'name' => 'Music', 'slug' => 'music'],
        ['id' => 3, 'name' => 'Games', 'slug' => 'games'],
        ['id' => 4, 'name' => 'Tools', 'slug' => 'tools'],
    ];

    /** Orders with an id at or below this one exist in every process (reads look the same in both pools). */
    private const SEEDED_ORDERS = 1000;

    /** Requests this app instance has handled: in worker mode, warm state. */
    private static int $warmRequests = 0;
    /** @var list<string> memory growth injected by leak_kb */
    private static array $hog = [];
    /** The "current user" of a buggy app that forgets to reset it between requests. */
    private static ?string $lastUser = null;
    /** @var list<array<string,mixed>> */
    private static array $messages = [];
    /** @var array<int,array<string,mixed>> orders created by this process */
    private static array $orders = [];
    private static int $nextOrderId = self::SEEDED_ORDERS + 1;

    /** @return array{0:int,1:array<string,string>,2:string} */
    public static function handle(array $request): array
    {
        self::$warmRequests++;
        $processRequests = ProcessCounter::next();
        $query = $request['query'] ?? [];

        $delayMs = (int) (getenv('APP_DELAY_MS') ?: 0) + (int) ($query['delay_ms'] ?? 0);
        if ($delayMs > 0) {
            self::logFault("delay {$delayMs}ms on {$request['method']} {$request['path']}");
            self::sleepMs($delayMs);
        }
        if (isset($query['leak_kb'])) {
            self::$hog[] = str_repeat('x', max(0, (int) $query['leak_kb']) * 1024);
        }
        $userId = self::header($request, 'x-user-id');
        if ($userId !== null) {
            self::$lastUser = $userId;
        }

        [$status, $payload] = self::route($request, $processRequests);

        if (isset($query['leak'])) {
            // The bug being demonstrated: the user of an earlier request is still "current".
            $payload['leak'] = [
                'current_user' => self::$lastUser,
                'request_user' => $userId,
                'leaked' => $userId === null && self::$lastUser !== null,
            ];
        }
        if (isset($query['status'])) {
            $status = (int) $query['status'];
        }
        $errorRate = (float) (getenv('APP_ERROR_RATE') ?: 0);
        if ($errorRate > 0 && mt_rand() / mt_getrandmax() < $errorRate) {
            $status = 500;
            $payload = ['error' => 'injected error (APP_ERROR_RATE)'];
        }

        $headers = [
            'Content-Type' => 'application/json',
            'X-Served-By-Sapi' => PHP_SAPI,
            'X-Served-By-Pid' => (string) getmypid(),
            'X-Process-Requests' => (string) $processRequests,
        ];
        if (isset($query['leak']) && self::$lastUser !== null) {
            $headers['X-Current-User'] = self::$lastUser;
        }
        $body = json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n";
        return [$status, $headers, $body];
    }

    /** @return array{0:int,1:array<string,mixed>} */
    private static function route(array $request, int $processRequests): array
    {
        $method = $request['method'] === 'HEAD' ? 'GET' : $request['method'];
        $path = $request['path'];

        if ($path === '/echo' || str_starts_with($path, '/echo/')) {
            return [200, self::echo($request, $processRequests)];
        }
        if ($path === '/api/categories' && $method === 'GET') {
            return [200, ['categories' => self::CATEGORIES]];
        }
        if (preg_match('#^/api/categories/(\d+)$#', $path, $m) && $method === 'GET') {
            foreach (self::CATEGORIES as $category) {
                if ($category['id'] === (int) $m[1]) {
                    return [200, ['category' => $category]];
                }
            }
            return [404, ['error' => 'no such category', 'id' => (int) $m[1]]];
        }
        if ($path === '/api/messages' && $method === 'GET') {
            return [200, ['messages' => self::$messages, 'count' => count(self::$messages)]];
        }
        if ($path === '/api/messages' && $method === 'POST') {
            $data = json_decode($request['body'], true);
            $message = [
                'id' => count(self::$messages) + 1,
                'text' => is_array($data) ? (string) ($data['text'] ?? '') : $request['body'],
            ];
            self::$messages[] = $message;
            return [201, ['message' => $message]];
        }
        if ($path === '/api/orders' && $method === 'POST') {
            $id = self::$nextOrderId++;
            $order = ['id' => $id, 'status' => 'created', 'pid' => getmypid()];
            self::$orders[$id] = $order;
            return [201, ['order' => $order] + self::bodyDigest($request['body'])];
        }
        if (preg_match('#^/api/orders/(\d+)$#', $path, $m) && $method === 'GET') {
            $id = (int) $m[1];
            if (isset(self::$orders[$id])) {
                return [200, ['order' => self::$orders[$id]]];
            }
            if ($id >= 1 && $id <= self::SEEDED_ORDERS) {
                return [200, ['order' => ['id' => $id, 'status' => 'shipped', 'total_cents' => $id * 137 % 10000]]];
            }
            return [404, ['error' => 'no such order', 'id' => $id]];
        }
        return [404, ['error' => 'not found', 'method' => $request['method'], 'path' => $path]];
    }

    /** @return array<string,mixed> */
    private static function echo(array $request, int $processRequests): array
    {
        return [
            'method' => $request['method'],
            'uri' => $request['uri'],
            'path' => $request['path'],
            'query' => (object) ($request['query'] ?? []),
            'protocol' => $request['protocol'] ?? null,
            'headers' => (object) ($request['headers'] ?? []),
            'sapi' => PHP_SAPI,
            'pid' => getmypid(),
            'process_requests' => $processRequests,
            'warm_requests' => self::$warmRequests,
            'memory_bytes' => memory_get_usage(true),
        ] + self::bodyDigest($request['body']);
    }

    /** @return array{body_length:int,body_sha256:string} */
    private static function bodyDigest(string $body): array
    {
        return ['body_length' => strlen($body), 'body_sha256' => hash('sha256', $body)];
    }

    private static function header(array $request, string $name): ?string
    {
        foreach ($request['headers'] ?? [] as $key => $value) {
            if (strcasecmp((string) $key, $name) === 0) {
                return (string) $value;
            }
        }
        return null;
    }

    /**
     * Sleeps the full time even when a signal arrives: the worker runner handles SIGTERM
     * asynchronously, and a plain usleep() would return early, cutting the injected latency short.
     */
    private static function sleepMs(int $ms): void
    {
        $deadline = hrtime(true) + $ms * 1_000_000;
        while (($left = $deadline - hrtime(true)) > 0) {
            usleep((int) max(1, intdiv($left, 1000)));
        }
    }

    /** Off by default (one log line per request is noise); tests turn it on to see a fault start. */
    private static function logFault(string $what): void
    {
        if (getenv('APP_LOG_FAULTS') === '1') {
            error_log('app: fault injected: ' . $what);
        }
    }
}

/**
 * How many requests this OS process has served. In worker mode that is simply warm state; under
 * FPM statics die with each request, so the count is kept in a small file named after the pid and
 * the process start time (pids get reused).
 */
final class ProcessCounter
{
    private static int $count = 0;

    public static function next(): int
    {
        if (PHP_SAPI === 'cli') {
            return ++self::$count;
        }
        $dir = sys_get_temp_dir() . '/supercharger-php-counters';
        @mkdir($dir, 0700, true);
        $file = $dir . '/' . getmypid() . '-' . self::processStartTicks();
        // Only this process writes its file, and it serves one request at a time: no lock needed.
        $count = (int) @file_get_contents($file) + 1;
        @file_put_contents($file, (string) $count);
        return $count;
    }

    private static function processStartTicks(): string
    {
        $stat = @file_get_contents('/proc/self/stat');
        if ($stat === false) {
            return '0';
        }
        // Field 22 (starttime) counted after the ")" that closes the command name.
        $fields = explode(' ', substr($stat, strrpos($stat, ')') + 2));
        return $fields[19] ?? '0';
    }
}
