<?php
// Test-only echo for the FastCGI client: reports what PHP received. Switches (query string):
//   stderr=TEXT  error_log('stderr-says:' . TEXT), which php-fpm sends as FCGI_STDERR
//   status=N     http_response_code(N)
//   out=N        answer N bytes ('a'..'z' repeated) instead of the JSON echo
//   sleep_ms=N   wait before answering
$body = file_get_contents('php://input');
if (isset($_GET['stderr'])) {
    error_log('stderr-says:' . $_GET['stderr']);
}
if (isset($_GET['sleep_ms'])) {
    usleep((int) $_GET['sleep_ms'] * 1000);
}
if (isset($_GET['status'])) {
    http_response_code((int) $_GET['status']);
}
if (isset($_GET['out'])) {
    header('Content-Type: application/octet-stream');
    $n = (int) $_GET['out'];
    $chunk = str_repeat('abcdefghijklmnopqrstuvwxyz', 2521); // 65546 bytes
    for ($sent = 0; $sent < $n; $sent += strlen($chunk)) {
        echo substr($chunk, 0, min(strlen($chunk), $n - $sent));
    }
    exit;
}
$headers = [];
foreach ($_SERVER as $k => $v) {
    if (strncmp($k, 'HTTP_', 5) === 0) {
        $headers[$k] = $v;
    }
}
header('Content-Type: application/json');
echo json_encode([
    'method' => $_SERVER['REQUEST_METHOD'],
    'uri' => $_SERVER['REQUEST_URI'],
    'script_name' => $_SERVER['SCRIPT_NAME'],
    'path_info' => $_SERVER['PATH_INFO'] ?? null,
    'query' => $_SERVER['QUERY_STRING'],
    'content_type' => $_SERVER['CONTENT_TYPE'] ?? null,
    'content_length' => $_SERVER['CONTENT_LENGTH'] ?? null,
    'len' => strlen($body),
    'sha256' => hash('sha256', $body),
    'pid' => getmypid(),
    'headers' => $headers,
]);
