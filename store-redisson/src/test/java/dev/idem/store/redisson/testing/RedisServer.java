package dev.idem.store.redisson.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, for tests: no persistence unless options ask for it
 * ({@link #startWith}), stopped by {@link #close()} or {@link #kill()} and restartable on the same port
 * ({@link #restart()}), or, if the JVM ends first, by a shutdown hook, so that no process outlives the build.
 *
 * <p>The binary is the system property {@code idem.redis.server} if set, else {@code redis-server} on the PATH, else
 * the Redis 6.2 build for this OS and architecture that the {@code com.github.codemonstur:embedded-redis} test
 * artifact ships as a class-path resource, extracted to a temporary executable file.
 */
public final class RedisServer implements AutoCloseable {
    /** The system property that names the {@code redis-server} binary to use. */
    public static final String BINARY_PROPERTY = "idem.redis.server";

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static volatile Path extracted;

    private final String binary;
    private final List<String> options;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private volatile boolean paused;

    private RedisServer(String binary, List<String> options, int port, Process process) {
        this.binary = binary;
        this.options = options;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(process::destroyForcibly, "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a server on a free loopback port and waits (bounded) until it answers {@code PING}.
     *
     * @return the running server
     * @throws IOException if it cannot be started or does not answer in time
     */
    public static RedisServer start() throws IOException {
        return start(binary());
    }

    /**
     * Starts the given {@code redis-server} binary on a free loopback port and waits (bounded) until it answers
     * {@code PING}.
     *
     * @param binary the executable
     * @return the running server
     * @throws IOException if it cannot be started or does not answer in time
     */
    public static RedisServer start(String binary) throws IOException {
        return start(binary, List.of());
    }

    /**
     * Starts the given {@code redis-server} binary on a free loopback port with extra command-line options, which
     * come after (and so override) the defaults that switch persistence off; for example
     * {@code List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir)}.
     *
     * @param binary the executable
     * @param options extra {@code redis-server} options
     * @return the running server
     * @throws IOException if it cannot be started or does not answer in time
     */
    public static RedisServer start(String binary, List<String> options) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between probe and bind
            try {
                return startOnPort(binary, options, freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Starts the default binary (see {@link #start()}) on a free loopback port with extra options.
     *
     * @param options extra {@code redis-server} options, see {@link #start(String, List)}
     * @return the running server
     * @throws IOException if it cannot be started or does not answer in time
     */
    public static RedisServer startWith(List<String> options) throws IOException {
        return start(binary(), options);
    }

    private static RedisServer startOnPort(String binary, List<String> options, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(options);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        RedisServer server = new RedisServer(binary, List.copyOf(options), port, process);
        try {
            server.awaitPing();
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Starts a new server on this one's port with the same binary and options (so, with persistence options, on
     * the same data); this one must have been stopped ({@link #close()} or {@link #kill()}).
     *
     * @return the new running server
     * @throws IOException if it cannot be started or does not answer in time
     * @throws IllegalStateException if this server is still running
     */
    public RedisServer restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running; stop it first");
        }
        return startOnPort(binary, options, port);
    }

    /**
     * Freezes the process with SIGSTOP: its connections stay open but nothing is answered, as with a hung server or
     * a network partition. Undo with {@link #resume()}. POSIX only.
     *
     * @throws IOException if the signal cannot be sent
     */
    public void pause() throws IOException {
        signal("-STOP");
        paused = true;
    }

    /**
     * Lets a {@link #pause() paused} process run again (SIGCONT).
     *
     * @throws IOException if the signal cannot be sent
     */
    public void resume() throws IOException {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) throws IOException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IOException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending " + signal, e);
        }
    }

    /**
     * Kills the process with SIGKILL, as a crash would (no shutdown save, no goodbye to clients), and waits
     * (bounded) for it to end.
     *
     * @throws IllegalStateException if it did not end in time
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing redis-server on port " + port, e);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    /**
     * The server's port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The address for a Redisson single-server config.
     *
     * @return {@code redis://127.0.0.1:port}
     */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * A new raw RESP connection to this server.
     *
     * @return the connection
     * @throws IOException if it cannot connect
     */
    public RespConnection connect() throws IOException {
        return new RespConnection("127.0.0.1", port);
    }

    /**
     * Whether the process is still running.
     *
     * @return true if alive
     */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Kills the process and waits (bounded) for it to end. Idempotent. */
    @Override
    public void close() {
        if (paused && process.isAlive()) {
            try {
                resume(); // a paused server would not act on SIGTERM until it runs again
            } catch (IOException e) {
                process.destroyForcibly();
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    private void awaitPing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            try (RespConnection connection = connect()) {
                if ("PONG".equals(connection.command("PING"))) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT_MILLIS + " ms", last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * The binary to run: the property (a path, or {@code embedded} for the Redis 6.2 that embedded-redis ships), the
     * PATH, or the embedded one.
     */
    static String binary() throws IOException {
        String configured = System.getProperty(BINARY_PROPERTY);
        if ("embedded".equals(configured)) {
            return embedded().toString();
        }
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return embedded().toString();
    }

    /**
     * The Redis 6.2 binary that embedded-redis ships for this platform, extracted once per JVM.
     *
     * @return the executable file
     * @throws IOException if there is none for this platform or it cannot be extracted
     */
    public static synchronized Path embedded() throws IOException {
        if (extracted != null) {
            return extracted;
        }
        String resource = embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path file = Files.createTempFile("idem-redis-server-", resource.endsWith(".exe") ? ".exe" : "");
        file.toFile().deleteOnExit();
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no redis-server on the PATH, no -D" + BINARY_PROPERTY + ", and the resource "
                        + resource + " of com.github.codemonstur:embedded-redis is not on the class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!file.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + file + " executable");
        }
        extracted = file;
        return file;
    }

    /** The class-path resource of the embedded-redis 1.4.4 jar for an OS and architecture. */
    static String embeddedResource(String osName, String osArch) throws IOException {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean arm64 = List.of("aarch64", "arm64").contains(arch);
        boolean amd64 = List.of("amd64", "x86_64").contains(arch);
        if (os.contains("linux")) {
            if (amd64) {
                return "redis-server-6.2.6-v5-linux-amd64";
            }
            if (arm64) {
                return "redis-server-6.2.7-linux-arm64";
            }
            if (List.of("x86", "i386", "i686").contains(arch)) {
                return "redis-server-6.2.7-linux-386";
            }
        } else if (os.contains("mac") || os.contains("darwin")) {
            return arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else if (os.contains("windows")) {
            return "redis-server-5.0.14.1-windows-amd64.exe";
        }
        throw new IOException("embedded-redis ships no redis-server for " + osName + "/" + osArch
                + "; install Redis or set -D" + BINARY_PROPERTY);
    }
}
