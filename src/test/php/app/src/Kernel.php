<?php
declare(strict_types=1);

namespace App;

use App\Controller\CategoryController;
use App\Controller\MessageController;
use App\Controller\OrderController;
use App\Doctrine\ConnectionFactory;
use App\Doctrine\LinkDropper;
use App\Http\JsonErrorListener;
use App\Http\LeakReportListener;
use App\Http\RequestFaultsListener;
use App\Http\ServedByListener;
use App\Reset\ResetSwitches;
use App\Reset\SwitchableServicesResetter;
use App\Reset\WorkerResets;
use App\User\CurrentUser;
use App\User\CurrentUserListener;
use Doctrine\DBAL\Connection;
use Symfony\Bundle\FrameworkBundle\FrameworkBundle;
use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;
use Symfony\Component\DependencyInjection\Loader\Configurator\ContainerConfigurator;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Kernel as BaseKernel;
use Symfony\Component\Routing\Loader\Configurator\RoutingConfigurator;

use function Symfony\Component\DependencyInjection\Loader\Configurator\service;

/**
 * The app: a MicroKernel with the runbook's read and write paths on SQLite. Services and routes are
 * listed here explicitly (no attribute scanning, no YAML), which reads the same on Symfony 5.4 and 8.
 */
final class Kernel extends BaseKernel
{
    use MicroKernelTrait;

    private string $bootId = '';
    private int $mainRequests = 0;

    public function registerBundles(): iterable
    {
        yield new FrameworkBundle();
    }

    /** The default looks for composer.json, which this app has none of. */
    public function getProjectDir(): string
    {
        return \dirname(__DIR__);
    }

    /**
     * A prod container is never checked for freshness, so the cache directory is named after the
     * sources: an edited fixture gets a fresh container instead of a stale one.
     */
    public function getCacheDir(): string
    {
        return $this->getProjectDir() . '/var/cache/' . $this->environment . '-' . self::sourceFingerprint();
    }

    public function getLogDir(): string
    {
        return $this->getProjectDir() . '/var/log';
    }

    public function boot(): void
    {
        if (!$this->booted) {
            $this->bootId = bin2hex(random_bytes(6));
        }
        parent::boot();
    }

    public function handle(Request $request, int $type = self::MAIN_REQUEST, bool $catch = true): Response
    {
        if ($type === self::MAIN_REQUEST) {
            $this->mainRequests++;
        }
        return parent::handle($request, $type, $catch);
    }

    /** Changes with every boot: one value for a warm worker, a new one per request under FPM. */
    public function bootId(): string
    {
        return $this->bootId;
    }

    /** Main requests this kernel instance has handled. */
    public function mainRequests(): int
    {
        return $this->mainRequests;
    }

    protected function configureContainer(ContainerConfigurator $container): void
    {
        $container->extension('framework', [
            // Nothing here signs anything (no sessions, no CSRF), but the bundle requires a secret.
            'secret' => 'supercharger-fixture',
            'http_method_override' => false,
            'router' => ['utf8' => true],
        ]);
        $services = $container->services()->defaults()->autowire()->autoconfigure();

        $services->set(LinkDropper::class);
        $services->set(Connection::class)->factory([ConnectionFactory::class, 'create']);
        $services->set(CurrentUser::class);
        $services->set(ResetSwitches::class)->factory([ResetSwitches::class, 'fromEnvironment']);
        // Not autoconfigured: as a ResetInterface it would be tagged kernel.reset and reset itself forever.
        $services->set(SwitchableServicesResetter::class)
            ->autoconfigure(false)
            ->decorate('services_resetter')
            ->args([service('.inner'), service(ResetSwitches::class)])
            ->public();
        $services->set(WorkerResets::class)
            ->args([service('services_resetter'), service(Connection::class), service(ResetSwitches::class)])
            ->public();

        foreach ([RequestFaultsListener::class, ServedByListener::class, CurrentUserListener::class,
                     LeakReportListener::class, JsonErrorListener::class] as $listener) {
            $services->set($listener);
        }
        foreach ([CategoryController::class, OrderController::class, MessageController::class] as $controller) {
            $services->set($controller)->tag('controller.service_arguments');
        }
    }

    protected function configureRoutes(RoutingConfigurator $routes): void
    {
        $id = ['id' => '\d+'];
        $routes->add('categories_list', '/api/categories')->controller([CategoryController::class, 'list'])->methods(['GET']);
        $routes->add('categories_show', '/api/categories/{id}')->controller([CategoryController::class, 'show'])
            ->methods(['GET'])->requirements($id);
        $routes->add('orders_show', '/api/orders/{id}')->controller([OrderController::class, 'show'])
            ->methods(['GET'])->requirements($id);
        $routes->add('orders_create', '/api/orders')->controller([OrderController::class, 'create'])->methods(['POST']);
        $routes->add('messages_list', '/api/messages')->controller([MessageController::class, 'list'])->methods(['GET']);
        $routes->add('messages_create', '/api/messages')->controller([MessageController::class, 'create'])->methods(['POST']);
    }

    private static function sourceFingerprint(): string
    {
        static $fingerprint = null;
        if ($fingerprint === null) {
            $stamp = '';
            $files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(__DIR__, \FilesystemIterator::SKIP_DOTS));
            foreach ($files as $file) {
                $stamp .= $file->getPathname() . ':' . $file->getMTime() . ';';
            }
            $fingerprint = substr(hash('xxh3', $stamp), 0, 12);
        }
        return $fingerprint;
    }
}
