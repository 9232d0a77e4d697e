package dev.idem.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} on a free loopback port for the Redis benchmarks, without persistence, stopped by
 * {@link #close()} or a shutdown hook. The binary is {@code -Didem.redis.server=<path>} if set, else
 * {@code redis-server} on the PATH, else the build the {@code com.github.codemonstur:embedded-redis} artifact ships
 * (as the store's tests find it). Use it from a {@code @Setup(Level.Trial)} and close it in {@code @TearDown}.
 */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String binary;
    private final Thread reaper;

    private RedisProcess(Process process, int port, String binary) {
        this.process = process;
        this.port = port;
        this.binary = binary;
        this.reaper = new Thread(process::destroyForcibly, "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts a server and waits (at most 10 s) until it answers {@code PING}.
     *
     * @return the running server
     * @throws IOException if it cannot be started
     */
    public static RedisProcess start() throws IOException {
        String binary = findBinary();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RedisProcess server = new RedisProcess(process, port, binary);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(binary + " exited with " + process.exitValue() + " on port " + port);
            }
            if (server.pings()) {
                return server;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        server.close();
        throw new IOException(binary + " on port " + port + " did not answer PING within 10 s");
    }

    private boolean pings() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
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
     * The port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The {@code redis-server} binary in use; {@code redis-benchmark} usually sits beside it.
     *
     * @return the path
     */
    public String binary() {
        return binary;
    }

    /** Stops the server and waits (bounded) for it to end. */
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
            // the JVM is shutting down; the hook runs anyway
        }
    }

    private static String findBinary() throws IOException {
        String configured = System.getProperty("idem.redis.server");
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

    private static Path embedded() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm64 = List.of("aarch64", "arm64").contains(arch);
        String resource;
        if (os.contains("linux")) {
            resource = arm64 ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac") || os.contains("darwin")) {
            resource = arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IOException("no redis-server on the PATH for " + os + "/" + arch
                    + "; install Redis or set -Didem.redis.server");
        }
        Path file = Files.createTempFile("idem-bench-redis-server-", "");
        file.toFile().deleteOnExit();
        try (InputStream in = RedisProcess.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("embedded-redis resource " + resource + " is not on the class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!file.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + file + " executable");
        }
        return file;
    }
}
