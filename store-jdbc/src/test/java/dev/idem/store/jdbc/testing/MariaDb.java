package dev.idem.store.jdbc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB server for the tests: the one named by {@code -Didem.jdbc.mariadb.url} (with
 * {@code idem.jdbc.mariadb.user}/{@code .password}), or else a {@code mariadbd} from the PATH or {@code /usr/sbin}
 * (Debian's {@code mariadb-server}, which {@code .ci/run} installs), started on a free loopback port with its own
 * data directory made by {@code mariadb-install-db}, without grant tables. One server per JVM (started on first use,
 * stopped at exit); each test class takes its own database.
 *
 * <p>Without a binary, the MariaDB test classes are skipped by an assumption whose message names what to install
 * (the PostgreSQL ones still run, from a Maven artifact). Under {@code CI=true} a missing binary fails instead:
 * CI installs it, so CI always runs them.
 */
public final class MariaDb implements Database {
    private static MariaDb shared;

    private final Process process;
    private final Path directory;
    private final String baseUrl;
    private final String user;
    private final String password;
    private final int port;

    private MariaDb(Process process, Path directory, String baseUrl, String user, String password, int port) {
        this.process = process;
        this.directory = directory;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.port = port;
    }

    /** The server of this JVM; skips the calling test class if there is no MariaDB to start. */
    public static synchronized MariaDb shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** The {@code mariadbd} binary, or null. */
    static File binary(String name, String... places) {
        String path = System.getenv("PATH");
        List<String> directories = new ArrayList<>(List.of(path == null ? new String[0] : path.split(File.pathSeparator)));
        directories.addAll(List.of(places));
        for (String directory : directories) {
            File candidate = new File(directory, name);
            if (candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    /** A server of its own (for a test that stops and starts it); the caller stops it. */
    public static MariaDb start() {
        String url = System.getProperty("idem.jdbc.mariadb.url");
        if (url != null && !url.isBlank()) {
            return new MariaDb(null, null, url, System.getProperty("idem.jdbc.mariadb.user", "root"),
                    System.getProperty("idem.jdbc.mariadb.password", ""), -1);
        }
        File server = binary("mariadbd", "/usr/sbin", "/usr/local/sbin", "/usr/libexec");
        File install = binary("mariadb-install-db", "/usr/bin", "/usr/local/bin");
        String missing = "no mariadbd and mariadb-install-db on this machine (install Debian's mariadb-server, as "
                + ".ci/run does, or name a server with -Didem.jdbc.mariadb.url=jdbc:mariadb://host:port/)";
        if ((server == null || install == null) && "true".equals(System.getenv("CI"))) {
            // CI installs it: a missing binary there is a broken CI, never a silent skip.
            throw new IllegalStateException("MariaDB tests cannot run on CI: " + missing);
        }
        Assumptions.assumeTrue(server != null && install != null, "MariaDB tests skipped: " + missing);
        try {
            Path directory = Files.createTempDirectory("idem-mariadb-");
            Path data = directory.resolve("data");
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> init = new ArrayList<>(List.of(install.getPath(), "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (root) {
                init.add("--user=root");
            }
            Process installing = new ProcessBuilder(init).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("install.log").toFile()).start();
            if (!installing.waitFor(120, TimeUnit.SECONDS) || installing.exitValue() != 0) {
                installing.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db failed: "
                        + Files.readString(directory.resolve("install.log")));
            }
            return launch(server, directory, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MariaDb launch(File server, Path directory, int port) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(server.getPath(), "--no-defaults",
                "--datadir=" + directory.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + directory.resolve("mariadb.sock"), "--pid-file=" + directory.resolve("mariadb.pid"),
                "--skip-grant-tables", "--skip-log-bin", "--innodb-buffer-pool-size=128M",
                "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--max-connections=500",
                "--innodb-lock-wait-timeout=50", "--log-error=" + directory.resolve("error.log")));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("out.log").toFile()).start();
        String baseUrl = "jdbc:mariadb://127.0.0.1:" + port + "/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(baseUrl + "mysql", "root", "")) {
                return new MariaDb(process, directory, baseUrl, "root", "", port);
            } catch (SQLException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    String log = Files.exists(directory.resolve("error.log"))
                            ? Files.readString(directory.resolve("error.log")) : "";
                    throw new IllegalStateException("mariadbd did not accept connections within 60 s on port " + port
                            + ": " + notYet + "\n" + log);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Shuts the server down (SIGTERM), leaving its data directory for {@link #restart()}. */
    public void shutdown() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port and data directory, after {@link #shutdown()}. */
    public MariaDb restart() throws IOException, InterruptedException {
        File server = binary("mariadbd", "/usr/sbin", "/usr/local/sbin", "/usr/libexec");
        return launch(server, directory, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public String url(String database) {
        return baseUrl + database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String adminDatabase() {
        return "mysql";
    }



    /** Stops the server and deletes its data directory. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
