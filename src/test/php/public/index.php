<?php
declare(strict_types=1);

// FPM front controller: the gateway sends every request here (SCRIPT_FILENAME = <docroot>/index.php).
require __DIR__ . '/../app/App.php';

$uri = (string) ($_SERVER['REQUEST_URI'] ?? '/');
$queryString = (string) ($_SERVER['QUERY_STRING'] ?? '');
parse_str($queryString, $query);

[$status, $headers, $body] = App::handle([
    'method' => (string) ($_SERVER['REQUEST_METHOD'] ?? 'GET'),
    'uri' => $uri,
    'path' => (string) strtok($uri, '?'),
    'query' => $query,
    'headers' => requestHeaders(),
    // The pool turns enable_post_data_reading off, so php://input holds every body, forms included.
    'body' => (string) file_get_contents('php://input'),
    'protocol' => (string) ($_SERVER['SERVER_PROTOCOL'] ?? ''),
]);

http_response_code($status);
foreach ($headers as $name => $value) {
    header("$name: $value");
}
header('Content-Length: ' . strlen($body));
if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'HEAD') {
    echo $body;
}

/** @return array<string,string> the request headers; FastCGI has lost their original case. */
function requestHeaders(): array
{
    if (function_exists('getallheaders')) {
        return getallheaders();
    }
    $headers = [];
    foreach ($_SERVER as $key => $value) {
        if (str_starts_with($key, 'HTTP_')) {
            $name = str_replace(' ', '-', ucwords(strtolower(str_replace('_', ' ', substr($key, 5)))));
            $headers[$name] = (string) $value;
        }
    }
    foreach (['CONTENT_TYPE' => 'Content-Type', 'CONTENT_LENGTH' => 'Content-Length'] as $key => $name) {
        if (isset($_SERVER[$key]) && $_SERVER[$key] !== '') {
            $headers[$name] = (string) $_SERVER[$key];
        }
    }
    return $headers;
}
