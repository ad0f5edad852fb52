<?php
declare(strict_types=1);

namespace App\Http;

use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpKernel\Event\ExceptionEvent;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * Every error as a small JSON body, the API's format. It runs before Symfony's own error listeners
 * (logging at 0, HTML rendering at -128) and stops them: a 404 is not worth a log line, and a 500
 * is logged here once, with the message a test or an operator greps for ("already closed").
 */
final class JsonErrorListener implements EventSubscriberInterface
{
    public static function getSubscribedEvents(): array
    {
        return [KernelEvents::EXCEPTION => ['onException', 64]];
    }

    public function onException(ExceptionEvent $event): void
    {
        $e = $event->getThrowable();
        if ($e instanceof HttpExceptionInterface) {
            $status = $e->getStatusCode();
            $error = match ($status) {
                404 => 'not found',
                405 => 'method not allowed',
                default => $e->getMessage(),
            };
            $request = $event->getRequest();
            $response = new JsonResponse(['error' => $error, 'method' => $request->getMethod(),
                'path' => $request->getPathInfo()], $status, $e->getHeaders());
        } else {
            error_log(sprintf('app: %s: %s at %s:%d', get_class($e), $e->getMessage(), $e->getFile(), $e->getLine()));
            $response = new JsonResponse(['error' => 'internal error', 'exception' => get_class($e),
                'message' => $e->getMessage()], 500);
        }
        $event->setResponse($response);
    }
}
