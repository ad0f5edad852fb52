<?php
declare(strict_types=1);

namespace App\Plain;

use App\Runtime\FaultControl;
use App\Runtime\ProcessCounter;
use App\Runtime\RequestFaults;

/**
 * The plain echo, for protocol tests where a framework would only add noise: it reports what PHP
 * received (method, uri, path, query, headers, body digest) and which process answered. No kernel
 * is booted for it, under FPM or in the worker.
 *
 * Request array: method, uri (request-target as received), path, query (array), headers
 * (name => value, names as received), body (string), protocol.
 */
final class EchoApp
{
    /** Requests this process answered here: warm state in worker mode, always 1 under FPM. */
    private static int $warmRequests = 0;

    public static function handles(string $path): bool
    {
        return $path === '/echo' || str_starts_with($path, '/echo/');
    }

    /** @return array{0:int,1:array<string,string>,2:string} */
    public static function handle(array $request): array
    {
        self::$warmRequests++;
        $processRequests = ProcessCounter::next();
        $query = $request['query'] ?? [];
        $injectError = RequestFaults::before(FaultControl::current(), 'echo', $query, $request['method'], $request['path']);
        $payload = $injectError ? ['error' => 'injected error'] : self::echo($request, $processRequests);
        $status = RequestFaults::status($injectError ? 500 : 200, $query);
        $headers = ['Content-Type' => 'application/json'] + RequestFaults::servedBy($processRequests);
        return [$status, $headers, json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n"];
    }

    /** @return array<string,mixed> */
    private static function echo(array $request, int $processRequests): array
    {
        $body = (string) $request['body'];
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
            'body_length' => strlen($body),
            'body_sha256' => hash('sha256', $body),
        ];
    }
}
