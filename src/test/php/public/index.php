<?php
declare(strict_types=1);

// FPM front controller: the gateway sends every request here (SCRIPT_FILENAME = <docroot>/index.php).
// The kernel boots for each request, as PHP-FPM always does; /echo is answered without it.
use App\Kernel;
use App\Plain\EchoApp;
use Symfony\Component\HttpFoundation\Request;

require __DIR__ . '/../app/bootstrap.php';

$uri = (string) ($_SERVER['REQUEST_URI'] ?? '/');
$path = (string) strtok($uri, '?');

if (EchoApp::handles($path)) {
    parse_str((string) ($_SERVER['QUERY_STRING'] ?? ''), $query);
    [$status, $headers, $body] = EchoApp::handle([
        'method' => (string) ($_SERVER['REQUEST_METHOD'] ?? 'GET'),
        'uri' => $uri,
        'path' => $path,
        'query' => $query,
        'headers' => getallheaders(),
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
    return;
}

$kernel = new Kernel('prod', false);
$request = Request::createFromGlobals();
$response = $kernel->handle($request);
$response->send();
$kernel->terminate($request, $response);
