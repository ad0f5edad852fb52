<?php
declare(strict_types=1);

namespace App\Http;

use App\Doctrine\LinkDropper;
use App\Runtime\FaultControl;
use App\Runtime\Faults;
use App\Runtime\RequestFaults;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpKernel\Event\RequestEvent;
use Symfony\Component\HttpKernel\Event\ResponseEvent;
use Symfony\Component\HttpKernel\Event\TerminateEvent;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * The fault switches inside the kernel: latency, errors and memory growth before the controller,
 * the forced status after it, and the dropped DB link once the request is over.
 */
final class RequestFaultsListener implements EventSubscriberInterface
{
    private const ATTRIBUTE = '_app_faults';

    public function __construct(private readonly LinkDropper $links)
    {
    }

    public static function getSubscribedEvents(): array
    {
        return [
            // After the router (32): faults are aimed by route name.
            KernelEvents::REQUEST => ['onRequest', 16],
            KernelEvents::RESPONSE => ['onResponse', 32],
            KernelEvents::TERMINATE => 'onTerminate',
        ];
    }

    /** The snapshot read for this request (one control file read per request, not per listener). */
    public static function faultsOf(Request $request): Faults
    {
        $faults = $request->attributes->get(self::ATTRIBUTE);
        return $faults instanceof Faults ? $faults : Faults::none();
    }

    public function onRequest(RequestEvent $event): void
    {
        if (!$event->isMainRequest()) {
            return;
        }
        $request = $event->getRequest();
        $faults = FaultControl::current();
        $request->attributes->set(self::ATTRIBUTE, $faults);
        $route = (string) $request->attributes->get('_route', '');
        if (RequestFaults::before($faults, $route, $request->query->all(), $request->getMethod(), $request->getPathInfo())) {
            $event->setResponse(new JsonResponse(['error' => 'injected error', 'route' => $route], 500));
        }
    }

    public function onResponse(ResponseEvent $event): void
    {
        if ($event->isMainRequest()) {
            $response = $event->getResponse();
            $response->setStatusCode(RequestFaults::status($response->getStatusCode(), $event->getRequest()->query->all()));
        }
    }

    /** After terminate the worker is idle: the moment a server's idle timeout would cut the link. */
    public function onTerminate(TerminateEvent $event): void
    {
        if (self::faultsOf($event->getRequest())->dbDrop) {
            $this->links->dropAll();
        }
    }
}
