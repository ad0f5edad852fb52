<?php
declare(strict_types=1);

namespace App\Http;

use App\Kernel;
use App\Runtime\ProcessCounter;
use App\Runtime\RequestFaults;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpKernel\Event\RequestEvent;
use Symfony\Component\HttpKernel\Event\ResponseEvent;
use Symfony\Component\HttpKernel\KernelEvents;
use Symfony\Component\HttpKernel\KernelInterface;

/**
 * Says who served the response (X-Served-By-*, X-Process-Requests, as the plain echo does) and
 * which kernel: X-Kernel-Boot-Id changes with every boot, X-Kernel-Requests counts the requests of
 * that boot. In worker mode both show one warm kernel; under FPM, a boot per request.
 */
final class ServedByListener implements EventSubscriberInterface
{
    private const ATTRIBUTE = '_app_process_requests';

    public function __construct(private readonly KernelInterface $kernel)
    {
    }

    public static function getSubscribedEvents(): array
    {
        return [
            // First of all, so that requests the router rejects are counted too.
            KernelEvents::REQUEST => ['onRequest', 512],
            // Before Symfony's ResponseListener (0), whose prepare() keeps Content-Length on HEAD.
            KernelEvents::RESPONSE => ['onResponse', 8],
        ];
    }

    public function onRequest(RequestEvent $event): void
    {
        if ($event->isMainRequest()) {
            $event->getRequest()->attributes->set(self::ATTRIBUTE, ProcessCounter::next());
        }
    }

    public function onResponse(ResponseEvent $event): void
    {
        if (!$event->isMainRequest()) {
            return;
        }
        $response = $event->getResponse();
        $count = (int) $event->getRequest()->attributes->get(self::ATTRIBUTE, 0);
        $response->headers->add(RequestFaults::servedBy($count));
        if ($this->kernel instanceof Kernel) {
            $response->headers->set('X-Kernel-Boot-Id', $this->kernel->bootId());
            $response->headers->set('X-Kernel-Requests', (string) $this->kernel->mainRequests());
        }
        // A HEAD answer must carry the length a GET would have had.
        $content = $response->getContent();
        if (is_string($content) && !$response->headers->has('Transfer-Encoding')) {
            $response->headers->set('Content-Length', (string) strlen($content));
        }
    }
}
