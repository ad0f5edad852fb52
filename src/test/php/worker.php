<?php
declare(strict_types=1);

/*
 * Worker-mode runner: a long-running PHP CLI HTTP/1.1 server that models one single-process
 * worker of a worker-mode engine (RoadRunner, FrankenPHP, Swoole). It boots the app once and
 * serves one request at a time, so the app's static state stays warm between requests.
 *
 *   php worker.php --listen 127.0.0.1:PORT [--max-requests N] [--status-path /__worker/status]
 *                  [--exit-with-parent]
 *
 * The gateway keeps one idle keep-alive connection per event loop open to each runner, so the
 * runner multiplexes all connections with stream_select and serves whichever has a complete
 * request: blocking on one idle connection would stall requests waiting on the others.
 */

// The CLI logs errors to stderr already; displaying them too would print each one twice.
ini_set('display_errors', '0');
ini_set('log_errors', '1');
error_reporting(E_ALL);

foreach (['pcntl', 'posix'] as $extension) {
    if (!extension_loaded($extension)) {
        fwrite(STDERR, "worker.php needs the $extension extension: apt-get install php8.2-cli\n");
        exit(2);
    }
}

require __DIR__ . '/app/App.php';
require __DIR__ . '/runner/HttpRequestParser.php';
require __DIR__ . '/runner/WorkerServer.php';

$options = getopt('', ['listen:', 'max-requests:', 'status-path:', 'exit-with-parent']);
if (!isset($options['listen']) || !is_string($options['listen'])) {
    fwrite(STDERR, "usage: php worker.php --listen HOST:PORT [--max-requests N] [--status-path PATH] [--exit-with-parent]\n");
    exit(2);
}
$server = new WorkerServer(
    listen: $options['listen'],
    maxRequests: max(0, (int) ($options['max-requests'] ?? 0)),
    statusPath: (string) ($options['status-path'] ?? '/__worker/status'),
    exitWithParent: isset($options['exit-with-parent']),
);
exit($server->run());
