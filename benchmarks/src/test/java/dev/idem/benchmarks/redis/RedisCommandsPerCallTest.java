package dev.idem.benchmarks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.benchmarks.ChargeRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands per call behind the Redis benchmarks' figures, counted on the benchmarks' own set-up
 * ({@link RedisFixture}: its own {@code redis-server}, the same client settings, the woven {@link RedisPayments}):
 * a replay is one command and a first call at most three (issue 11), and the floor does exactly the commands it is
 * named for. The server's {@code MONITOR} stream, read on a raw connection, shows what the client sent between two
 * {@code ECHO} markers sent on another raw connection; commands a script runs inside Redis ({@code [0 lua]}) and the
 * client's {@code PING} heartbeats are not part of a call. Needs {@code redis-server} on the PATH and fails, with a
 * message saying so, without it: the benchmarks cannot run either.
 */
class RedisCommandsPerCallTest {
    private static RedisFixture fixture;
    private static int serial;

    @BeforeAll
    static void start() throws IOException {
        fixture = RedisFixture.start();
        // Warm up: on a fresh server the first calls load the scripts (EVALSHA answered NOSCRIPT, then SCRIPT LOAD).
        fixture.payments().charge(newRequest());
        fixture.payments().charge(newRequest());
        fixture.floor().firstCall(newRequest());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static ChargeRequest newRequest() {
        return new ChargeRequest("count-" + (++serial), 1999, "EUR");
    }

    @Test
    void replay_idem_sendsOneCommand_andSkipsTheBody() throws IOException {
        ChargeRequest request = newRequest();
        fixture.payments().charge(request);
        long executions = fixture.payments().executions();

        List<String> commands = commandsOf(() -> fixture.payments().charge(request));

        assertThat(commands).containsExactly("EVALSHA");
        assertThat(fixture.payments().executions()).isEqualTo(executions);
    }

    @Test
    void firstCall_idem_sendsAtMostThreeCommands_claimAndComplete() throws IOException {
        ChargeRequest request = newRequest();
        long executions = fixture.payments().executions();

        List<String> commands = commandsOf(() -> fixture.payments().charge(request));

        assertThat(commands).hasSizeLessThanOrEqualTo(3).containsExactly("EVALSHA", "EVALSHA");
        assertThat(fixture.payments().executions()).isEqualTo(executions + 1);
    }

    @Test
    void replay_floor_sendsGet() throws IOException {
        ChargeRequest request = newRequest();
        fixture.floor().firstCall(request);

        assertThat(commandsOf(() -> fixture.floor().replay(request))).containsExactly("GET");
    }

    @Test
    void firstCall_floor_sendsSetNxThenSet() throws IOException {
        ChargeRequest request = newRequest();

        List<String> commands = commandsOf(() -> fixture.floor().firstCall(request), true);

        // Redisson sends RBucket.set(value, ttl) as PSETEX, which is SET with PX
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).startsWith("SET floor:" + request.getId() + " ").contains(" NX");
        assertThat(commands.get(1)).startsWith("PSETEX floor:" + request.getId() + " 60000 ");
    }

    private static List<String> commandsOf(Runnable call) throws IOException {
        return commandsOf(call, false);
    }

    /**
     * The commands the server received from clients while {@code call} ran: names only, or the whole command line
     * (the name in upper case, no quotes) with {@code withArguments}.
     */
    private static List<String> commandsOf(Runnable call, boolean withArguments) throws IOException {
        try (Resp monitor = new Resp(fixture.redis().port()); Resp marker = new Resp(fixture.redis().port())) {
            assertThat(monitor.command("MONITOR")).isEqualTo("OK");
            marker.command("ECHO", "idem-start");
            call.run();
            marker.command("ECHO", "idem-end");
            List<String> commands = new ArrayList<>();
            boolean started = false;
            while (true) {
                String line = monitor.read();
                if (line.contains("\"idem-start\"")) {
                    started = true;
                } else if (line.contains("\"idem-end\"")) {
                    return commands;
                } else if (started && !line.contains("[0 lua]")) {
                    // 1700000000.123456 [0 127.0.0.1:54321] "SET" "floor:count-4" "?" "PX" "30000" "NX"
                    String command = line.substring(line.indexOf("] \"") + 2);
                    String name = command.substring(1, command.indexOf('"', 1)).toUpperCase(Locale.ROOT);
                    if (!name.equals("PING")) {
                        commands.add(withArguments
                                ? name + command.substring(name.length() + 2).replace("\"", "") : name);
                    }
                }
            }
        }
    }

    /** Just enough RESP2 over a plain socket for {@code MONITOR} and {@code ECHO}: simple and bulk string replies. */
    private static final class Resp implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        Resp(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String command(String... words) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            buffer.writeBytes(("*" + words.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buffer.writeBytes(bytes);
                buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buffer.toByteArray());
            out.flush();
            return read();
        }

        String read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '$':
                    byte[] bytes = in.readNBytes(Integer.parseInt(line) + 2);
                    return new String(bytes, 0, bytes.length - 2, StandardCharsets.UTF_8);
                case '-':
                    throw new IOException("Redis error: " + line);
                default:
                    throw new IOException("unexpected reply type " + type + ": " + line);
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = buffer.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                buffer.write(b);
                previous = b;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
