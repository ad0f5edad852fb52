<?php
declare(strict_types=1);

namespace App\Worker;

use Symfony\Component\HttpFoundation\Request;

/**
 * Turns the runner's parsed request into a Symfony Request, filling the $_SERVER-style variables a
 * SAPI would. The runner never touches PHP's superglobals: they are process-wide, and in a worker
 * they would carry one request's values into the next.
 */
final class RequestFactory
{
    public static function fromArray(array $request): Request
    {
        $server = [
            'SERVER_PROTOCOL' => $request['protocol'] ?? 'HTTP/1.1',
            'REMOTE_ADDR' => $request['remote_addr'] ?? '127.0.0.1',
            'REQUEST_TIME_FLOAT' => microtime(true),
            'REQUEST_TIME' => time(),
        ];
        $cookies = [];
        foreach ($request['headers'] ?? [] as $name => $value) {
            $key = strtoupper(str_replace('-', '_', (string) $name));
            if ($key === 'CONTENT_TYPE' || $key === 'CONTENT_LENGTH') {
                $server[$key] = (string) $value;
            } else {
                $server['HTTP_' . $key] = (string) $value;
            }
            if ($key === 'COOKIE') {
                $cookies = self::cookies((string) $value);
            }
        }
        return Request::create((string) $request['uri'], (string) $request['method'], [], $cookies, [], $server,
            (string) $request['body']);
    }

    /** @return array<string,string> */
    private static function cookies(string $header): array
    {
        $cookies = [];
        foreach (explode(';', $header) as $pair) {
            [$name, $value] = array_pad(explode('=', trim($pair), 2), 2, '');
            if ($name !== '') {
                $cookies[$name] = urldecode($value);
            }
        }
        return $cookies;
    }
}
