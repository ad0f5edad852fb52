<?php
declare(strict_types=1);

/** A request the runner must refuse; the connection is closed after the error response. */
final class BadRequest extends RuntimeException
{
    public function __construct(public readonly int $status, string $message)
    {
        parent::__construct($message);
    }
}

/** Outcome of parsing the front of a connection buffer. */
final class ParseResult
{
    private function __construct(
        public readonly ?array $request,
        public readonly int $consumed,
        public readonly bool $keepAlive,
        public readonly bool $expectsContinue,
    ) {
    }

    public static function incomplete(bool $expectsContinue): self
    {
        return new self(null, 0, false, $expectsContinue);
    }

    public static function complete(array $request, int $consumed, bool $keepAlive): self
    {
        return new self($request, $consumed, $keepAlive, false);
    }
}

/**
 * Parses one HTTP/1.x request from the front of a buffer. Stateless: called again with the grown
 * buffer until the request is complete, which keeps pipelining trivial (whatever follows the
 * consumed bytes is the next request).
 */
final class HttpRequestParser
{
    private const MAX_HEAD_BYTES = 65536;
    private const MAX_BODY_BYTES = 64 * 1024 * 1024;
    // RFC 9110 tchar; "#" escaped because it is also the pattern delimiter.
    private const TOKEN = '[!\\#$%&\'*+.^_`|~0-9A-Za-z-]+';

    public static function parse(string $buffer): ParseResult
    {
        $headEnd = strpos($buffer, "\r\n\r\n");
        if ($headEnd === false) {
            if (strlen($buffer) > self::MAX_HEAD_BYTES) {
                throw new BadRequest(431, 'request head too large');
            }
            return ParseResult::incomplete(false);
        }
        $lines = explode("\r\n", substr($buffer, 0, $headEnd));
        if (!preg_match('#^(' . self::TOKEN . ') (\S+) HTTP/(1\.[01])$#', array_shift($lines), $m)) {
            throw new BadRequest(400, 'malformed request line');
        }
        [, $method, $target, $version] = $m;
        [$headers, $lower] = self::headers($lines);

        $keepAlive = self::keepAlive($version, $lower['connection'] ?? '');
        $bodyStart = $headEnd + 4;
        if (isset($lower['transfer-encoding'])) {
            if (isset($lower['content-length'])) {
                throw new BadRequest(400, 'both Transfer-Encoding and Content-Length');
            }
            if (strtolower($lower['transfer-encoding']) !== 'chunked') {
                throw new BadRequest(501, 'unsupported Transfer-Encoding: ' . $lower['transfer-encoding']);
            }
            $decoded = self::chunked($buffer, $bodyStart);
            if ($decoded === null) {
                return ParseResult::incomplete(self::expectsContinue($version, $lower));
            }
            [$body, $end] = $decoded;
        } else {
            $length = self::contentLength($lower['content-length'] ?? null);
            if (strlen($buffer) - $bodyStart < $length) {
                return ParseResult::incomplete(self::expectsContinue($version, $lower));
            }
            $body = (string) substr($buffer, $bodyStart, $length);
            $end = $bodyStart + $length;
        }

        // Absolute-form targets (proxies may send them) are reduced to origin-form.
        $uri = preg_match('#^https?://[^/?]*(.*)$#i', $target, $abs) ? ($abs[1] === '' ? '/' : $abs[1]) : $target;
        $queryString = (string) parse_url('http://x' . $uri, PHP_URL_QUERY);
        parse_str($queryString, $query);
        return ParseResult::complete([
            'method' => $method,
            'uri' => $uri,
            'path' => (string) strtok($uri, '?'),
            'query' => $query,
            'headers' => $headers,
            'body' => $body,
            'protocol' => 'HTTP/' . $version,
        ], $end, $keepAlive);
    }

    /** @return array{0:array<string,string>,1:array<string,string>} headers as received, and by lower-case name */
    private static function headers(array $lines): array
    {
        $headers = [];
        $lower = [];
        foreach ($lines as $line) {
            // Rejects obs-fold (leading whitespace) and whitespace before the colon: both smuggle.
            if (!preg_match('#^(' . self::TOKEN . '):[ \t]*(.*?)[ \t]*$#', $line, $m)) {
                throw new BadRequest(400, 'malformed header line');
            }
            $key = strtolower($m[1]);
            if (isset($lower[$key])) {
                if ($key === 'content-length' && $lower[$key] !== $m[2]) {
                    throw new BadRequest(400, 'conflicting Content-Length headers');
                }
                $lower[$key] .= ', ' . $m[2];
                $name = self::nameAsReceived($headers, $key);
                $headers[$name] .= ', ' . $m[2];
            } else {
                $lower[$key] = $m[2];
                $headers[$m[1]] = $m[2];
            }
        }
        return [$headers, $lower];
    }

    private static function nameAsReceived(array $headers, string $key): string
    {
        foreach ($headers as $name => $_) {
            if (strtolower((string) $name) === $key) {
                return (string) $name;
            }
        }
        return $key;
    }

    private static function contentLength(?string $value): int
    {
        if ($value === null) {
            return 0;
        }
        // Repeated identical values arrive joined ("5, 5"); they are allowed and mean one length.
        $values = array_unique(array_map('trim', explode(',', $value)));
        if (count($values) !== 1 || !preg_match('/^\d{1,18}$/', $values[0])) {
            throw new BadRequest(400, 'invalid Content-Length');
        }
        $length = (int) $values[0];
        if ($length > self::MAX_BODY_BYTES) {
            throw new BadRequest(413, 'body too large');
        }
        return $length;
    }

    /** @return array{0:string,1:int}|null the decoded body and the offset after the message, or null if incomplete */
    private static function chunked(string $buffer, int $pos): ?array
    {
        $body = '';
        while (true) {
            $lineEnd = strpos($buffer, "\r\n", $pos);
            if ($lineEnd === false) {
                if (strlen($buffer) - $pos > 1024) {
                    throw new BadRequest(400, 'chunk size line too long');
                }
                return null;
            }
            $sizeField = trim(explode(';', substr($buffer, $pos, $lineEnd - $pos), 2)[0]);
            if (!preg_match('/^[0-9a-fA-F]{1,15}$/', $sizeField)) {
                throw new BadRequest(400, 'malformed chunk size');
            }
            $size = (int) hexdec($sizeField);
            $pos = $lineEnd + 2;
            if ($size === 0) {
                return self::skipTrailers($buffer, $pos, $body);
            }
            if (strlen($body) + $size > self::MAX_BODY_BYTES) {
                throw new BadRequest(413, 'body too large');
            }
            if (strlen($buffer) < $pos + $size + 2) {
                return null;
            }
            if (substr($buffer, $pos + $size, 2) !== "\r\n") {
                throw new BadRequest(400, 'chunk not terminated by CRLF');
            }
            $body .= substr($buffer, $pos, $size);
            $pos += $size + 2;
        }
    }

    /** Trailer fields are read and dropped: the app never needs them. */
    private static function skipTrailers(string $buffer, int $pos, string $body): ?array
    {
        while (true) {
            $lineEnd = strpos($buffer, "\r\n", $pos);
            if ($lineEnd === false) {
                return null;
            }
            if ($lineEnd === $pos) {
                return [$body, $pos + 2];
            }
            $pos = $lineEnd + 2;
        }
    }

    private static function keepAlive(string $version, string $connection): bool
    {
        $tokens = array_map(fn ($t) => strtolower(trim($t)), explode(',', $connection));
        if ($version === '1.0') {
            return in_array('keep-alive', $tokens, true);
        }
        return !in_array('close', $tokens, true);
    }

    private static function expectsContinue(string $version, array $lower): bool
    {
        return $version === '1.1' && strtolower($lower['expect'] ?? '') === '100-continue';
    }
}
