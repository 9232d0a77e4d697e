package dev.idem.store.redisson.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts the commands clients send while an action runs, as the server sees them with {@code MONITOR} on a second,
 * raw connection: a script call counts once (the commands it runs inside Redis are not counted), and the clients'
 * {@code PING} heartbeats are not part of the action. The action is bracketed by {@code ECHO} markers sent on a third
 * raw connection, so commands before or after it are not counted.
 */
public final class CommandMonitor {
    private CommandMonitor() {
    }

    /** An action whose commands are counted; it may throw. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs the action.
         *
         * @throws Exception whatever it throws; the commands are counted anyway
         */
        void run() throws Exception;
    }

    /**
     * The commands (upper-case names only) the server received from clients while the action ran.
     *
     * @param server the server
     * @param action the action
     * @return the commands, in order
     * @throws Exception what the action threw, or a network error
     */
    public static List<String> commandsOf(RedisServer server, Action action) throws Exception {
        try (RespConnection monitor = server.connect(); RespConnection marker = server.connect()) {
            if (!"OK".equals(monitor.command("MONITOR"))) {
                throw new IOException("MONITOR was refused");
            }
            marker.command("ECHO", "idem-start");
            try {
                action.run();
            } finally {
                marker.command("ECHO", "idem-end");
            }
            List<String> commands = new ArrayList<>();
            boolean started = false;
            while (true) {
                String line = (String) monitor.read();
                if (line.contains("\"idem-start\"")) {
                    started = true;
                } else if (line.contains("\"idem-end\"")) {
                    return commands;
                } else if (started && !line.contains("[0 lua]")) {
                    String command = line.substring(line.indexOf("] \"") + 3);
                    command = command.substring(0, command.indexOf('"')).toUpperCase(Locale.ROOT);
                    if (!command.equals("PING")) {
                        commands.add(command);
                    }
                }
            }
        }
    }
}
