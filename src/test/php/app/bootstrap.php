<?php
declare(strict_types=1);

/*
 * Class loading for the app, with no composer: Debian's packaged Symfony 5.4 and Doctrine DBAL 3
 * ship autoloaders on the default include_path (/usr/share/php), and the app's own classes
 * (namespace App\, in src/) get a small PSR-4 loader.
 */

const APP_DEBIAN_AUTOLOADERS = [
    'Symfony/Bundle/FrameworkBundle/autoload.php',
    'Symfony/Contracts/Service/autoload.php',
    'Doctrine/DBAL/autoload.php',
];

foreach (APP_DEBIAN_AUTOLOADERS as $autoload) {
    if (stream_resolve_include_path($autoload) === false) {
        $message = "app: $autoload is not on the include_path. Install the packages with:\n"
            . '  apt-get install php8.2-sqlite3 php-symfony-http-kernel php-symfony-framework-bundle '
            . 'php-symfony-dependency-injection php-symfony-routing php-symfony-config '
            . "php-symfony-http-foundation php-symfony-doctrine-bridge php-doctrine-dbal\n"
            . "(./supercharger test and ./supercharger demo install them when run as root)\n";
        error_log($message);
        throw new RuntimeException($message);
    }
    require_once $autoload;
}

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
