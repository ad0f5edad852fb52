<?php
declare(strict_types=1);

/*
 * Worker-mode runner: a long-running PHP CLI HTTP/1.1 server that models one single-process
 * worker of a worker-mode engine (RoadRunner, FrankenPHP, Swoole). It boots the Symfony kernel
 * once and serves one request at a time, so the app stays warm between requests; after each
 * response it runs the kernel's terminate and the worker resets (RUNTIME_WORKER_RESET_*).
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
// Debian's CLI has no memory limit; a leaking worker should die like an FPM child (256M), not swap.
ini_set('memory_limit', '256M');

foreach (['pcntl', 'posix'] as $extension) {
    if (!extension_loaded($extension)) {
        fwrite(STDERR, "worker.php needs the $extension extension: apt-get install php8.2-cli\n");
        exit(2);
    }
}

require __DIR__ . '/runner/HttpRequestParser.php';
require __DIR__ . '/runner/WorkerApp.php';
require __DIR__ . '/runner/WorkerServer.php';
require __DIR__ . '/app/bootstrap.php';

$options = getopt('', ['listen:', 'max-requests:', 'status-path:', 'exit-with-parent']);
if (!isset($options['listen']) || !is_string($options['listen'])) {
    fwrite(STDERR, "usage: php worker.php --listen HOST:PORT [--max-requests N] [--status-path PATH] [--exit-with-parent]\n");
    exit(2);
}
try {
    // Booted before listening: once the port accepts, the kernel is warm.
    $app = new App\Worker\KernelWorkerApp(new App\Kernel('prod', false));
} catch (Throwable $e) {
    fwrite(STDERR, 'worker.php: the app failed to boot: ' . get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
$server = new WorkerServer(
    app: $app,
    listen: $options['listen'],
    maxRequests: max(0, (int) ($options['max-requests'] ?? 0)),
    statusPath: (string) ($options['status-path'] ?? '/__worker/status'),
    exitWithParent: isset($options['exit-with-parent']),
);
exit($server->run());
