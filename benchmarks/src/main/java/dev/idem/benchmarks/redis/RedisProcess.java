package dev.idem.benchmarks.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of its own for the Redis benchmarks and their commands-per-call test: started on a free
 * loopback port (never 6379: a user's machine may have no Redis there, or one holding data) without persistence
 * ({@code --save "" --appendonly no}), and stopped by {@link #close()}, or by a shutdown hook if the JVM ends first,
 * so that no server outlives its benchmark.
 *
 * <p>The binary is the system property {@value #BINARY_PROPERTY} if set, else {@code redis-server} on the PATH. There
 * is deliberately no bundled fallback: the figures are meant for the Redis the user runs. The same ideas as the store
 * tests' {@code RedisServer} (free port, bounded wait for {@code PING}, reaper hook), without depending on a test jar.
 *
 * <p>Use one per JMH trial: start it in {@code @Setup(Level.Trial)} (in the forked JVM), close it in
 * {@code @TearDown(Level.Trial)}. Not thread-safe; {@link #close()} is idempotent.
 */
public final class RedisProcess implements AutoCloseable {
    /** The system property that names the {@code redis-server} binary to use instead of the PATH's. */
    public static final String BINARY_PROPERTY = "idem.redis.server";

    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final int port;
    private final Thread reaper;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.reaper = new Thread(process::destroyForcibly, "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts a server on a free loopback port and waits (at most 10 s) until it answers {@code PING}.
     *
     * @return the running server
     * @throws IOException if there is no {@code redis-server}, or it cannot be started or does not answer in time
     */
    public static RedisProcess start() throws IOException {
        String binary = binary();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between the probe and the bind
            try {
                return startOnPort(binary, freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static RedisProcess startOnPort(String binary, int port) throws IOException {
        Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        RedisProcess server = new RedisProcess(process, port);
        try {
            server.awaitPing();
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
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
     * @return {@code redis://127.0.0.1:<port>}
     */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits, bounded, for it to end. */
    @Override
    public void close() {
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
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    private void awaitPing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            if (pings()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server on port " + port, e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT_MILLIS + " ms");
    }

    /** One inline {@code PING} on a plain socket: no client library is needed to know the server is up. */
    private boolean pings() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String binary() throws IOException {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return onPath("redis-server").map(Path::toString).orElseThrow(() -> new IOException(
                "the Redis benchmarks need redis-server: none on the PATH (" + System.getenv("PATH")
                        + ") and no -D" + BINARY_PROPERTY + "=<path>; install Redis (e.g. apt-get install "
                        + "redis-server, brew install redis)"));
    }

    /**
     * An executable of that name on the PATH.
     *
     * @param name the file name, e.g. {@code redis-benchmark}
     * @return its path, or empty if the PATH has none
     */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
