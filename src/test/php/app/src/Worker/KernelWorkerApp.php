<?php
declare(strict_types=1);

namespace App\Worker;

use App\Kernel;
use App\Plain\EchoApp;
use App\Reset\WorkerResets;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * The app as the worker runner sees it: the kernel booted once, before the runner listens, then
 * handle → (response written) → terminate → resets for every request. /echo stays plain.
 */
final class KernelWorkerApp implements \WorkerApp
{
    private readonly WorkerResets $resets;
    private ?Request $request = null;
    private ?Response $response = null;

    public function __construct(private readonly Kernel $kernel)
    {
        $kernel->boot();
        // Also opens the database, which seeds it: a fresh worker is ready before its first request.
        $this->resets = $kernel->getContainer()->get(WorkerResets::class);
    }

    public function handle(array $request): array
    {
        if (EchoApp::handles($request['path'])) {
            return EchoApp::handle($request);
        }
        $this->request = RequestFactory::fromArray($request);
        $this->response = $this->kernel->handle($this->request);
        $headers = $this->response->headers->allPreserveCaseWithoutCookies();
        $cookies = array_map('strval', $this->response->headers->getCookies());
        if ($cookies !== []) {
            $headers['Set-Cookie'] = $cookies;
        }
        return [$this->response->getStatusCode(), $headers, (string) $this->response->getContent()];
    }

    public function afterResponse(): void
    {
        if ($this->request === null || $this->response === null) {
            return;
        }
        try {
            $this->kernel->terminate($this->request, $this->response);
        } finally {
            $this->request = $this->response = null;
            $this->resets->afterRequest();
        }
    }

    public function status(): array
    {
        return [
            'kernel' => ['boot_id' => $this->kernel->bootId(), 'requests' => $this->kernel->mainRequests()],
            'resets' => $this->resets->counters(),
        ];
    }
}
