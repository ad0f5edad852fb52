package io.supercharger.fastcgi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only launcher: a real php-fpm in a temp prefix, on a free port, serving
 * src/test/php/fpm-echo/ with pm = static. To be replaced by the project's shared launcher.
 * It waits for FPM's own "ready to handle connections" line instead of polling the port.
 */
final class FpmProcess implements AutoCloseable {

    static final Path DOCUMENT_ROOT = Path.of("src/test/php/fpm-echo").toAbsolutePath();
    private static final String BINARY = "/usr/sbin/php-fpm8.2";

    private final Process process;
    private final int port;
    private final StringBuffer log = new StringBuffer();

    private FpmProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static FpmProcess start(int maxChildren, int maxRequests) throws IOException, InterruptedException {
        Path prefix = Files.createTempDirectory("fpm-test");
        int port = freePort();
        Path conf = prefix.resolve("php-fpm.conf");
        Files.writeString(conf, String.join("\n",
            "[global]",
            "error_log = /proc/self/fd/2",
            "daemonize = no",
            "log_level = notice",
            "[echo]",
            "listen = 127.0.0.1:" + port,
            "listen.backlog = 64",
            "pm = static",
            "pm.max_children = " + maxChildren,
            "pm.max_requests = " + maxRequests,
            "catch_workers_output = no",
            "php_admin_value[memory_limit] = 64M",
            "php_admin_value[post_max_size] = 16M",
            ""));
        Process p = new ProcessBuilder(BINARY, "-n", "-R", "-F", "-y", conf.toString(), "-p", prefix.toString())
            .redirectErrorStream(true)
            .start();
        FpmProcess fpm = new FpmProcess(p, port);
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> fpm.pump(ready), "php-fpm-log");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("php-fpm did not start:\n" + fpm.log);
        }
        return fpm;
    }

    private void pump(CountDownLatch ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (line.contains("ready to handle connections")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            log.append("log reader stopped: ").append(e).append('\n');
        }
    }

    int port() {
        return port;
    }

    String log() {
        return log.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Client-side sockets in ESTABLISHED state whose remote port is {@code port}, from /proc/net/tcp. */
    static int establishedTo(int port) throws IOException {
        int count = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            if (remotePort == port && f[3].equals("01")) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: FPM's graceful stop
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
