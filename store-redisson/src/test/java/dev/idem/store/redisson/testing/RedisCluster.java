package dev.idem.store.redisson.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real 3-primary/3-replica Redis Cluster on loopback, for tests: six {@code redis-server} processes (the binary
 * {@link RedisServer} would use) on free ports, each with its own directory, joined with {@code CLUSTER MEET}, the
 * 16384 slots split over three primaries with {@code CLUSTER ADDSLOTSRANGE} (Redis 7) or {@code CLUSTER ADDSLOTS}
 * (6.2), and one replica per primary with {@code CLUSTER REPLICATE}: all over plain RESP connections, no
 * {@code redis-cli}. {@link #start()} returns only when every node says {@code cluster_state:ok} and every replica's
 * link to its primary is up, so a failover test can rely on the replicas.
 *
 * <p>{@link #close()} stops every process (a shutdown hook does it if the JVM ends first) and deletes the directories.
 * Every wait is bounded.
 */
public final class RedisCluster implements AutoCloseable {
    /** Slots in a Redis Cluster. */
    public static final int SLOTS = 16384;

    private static final long FORM_TIMEOUT_MILLIS = 30_000;
    private static final int HIGHEST_PORT = 65535 - 10000; // the cluster bus listens on port + 10000

    private final Path dir;
    private final List<Node> nodes;
    private final Thread shutdownHook;

    private RedisCluster(Path dir, List<Node> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
        this.shutdownHook = new Thread(() -> nodes.forEach(n -> n.process.destroyForcibly()), "redis-cluster-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts six servers with a 1 s node timeout (quick failovers, for failover tests) and forms the cluster; bounded.
     *
     * @return the running, healthy cluster
     * @throws IOException if a server does not start or the cluster does not form in time
     */
    public static RedisCluster start() throws IOException {
        return start(1_000);
    }

    /**
     * Starts six servers and forms the cluster; bounded.
     *
     * @param nodeTimeoutMillis {@code cluster-node-timeout}: how long a node may not answer before its replica takes
     *     over. Tests that do not kill nodes use a longer one, so that a starved 2-core machine does not fail a
     *     primary over in the middle of a test.
     * @return the running, healthy cluster
     * @throws IOException if a server does not start or the cluster does not form in time
     */
    public static RedisCluster start(long nodeTimeoutMillis) throws IOException {
        String binary = RedisServer.binary();
        Path dir = Files.createTempDirectory("idem-redis-cluster-");
        List<Node> nodes = new ArrayList<>();
        RedisCluster cluster = null;
        try {
            for (int i = 0; i < 6; i++) {
                nodes.add(Node.start(binary, dir.resolve("node-" + i), nodeTimeoutMillis));
            }
            cluster = new RedisCluster(dir, nodes);
            cluster.form();
            return cluster;
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            } else {
                nodes.forEach(Node::stop);
                deleteTree(dir);
            }
            throw e;
        }
    }

    private void form() throws IOException {
        List<Node> primaries = nodes.subList(0, 3);
        List<Node> replicas = nodes.subList(3, 6);
        try (RespConnection first = nodes.get(0).connect()) {
            for (Node node : nodes.subList(1, 6)) {
                expectOk(first.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port)));
            }
        }
        boolean ranges = majorVersion() >= 7;
        for (int i = 0; i < 3; i++) {
            int from = i * SLOTS / 3;
            int to = (i + 1) * SLOTS / 3 - 1;
            try (RespConnection c = primaries.get(i).connect()) {
                if (ranges) {
                    expectOk(c.command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to)));
                } else {
                    for (int start = from; start <= to; start += 1000) {
                        List<String> words = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                        for (int slot = start; slot <= Math.min(to, start + 999); slot++) {
                            words.add(Integer.toString(slot));
                        }
                        expectOk(c.command(words.toArray(String[]::new)));
                    }
                }
            }
        }
        // Every node must know every other (handshakes done) before a replica can name its primary.
        await("all six nodes know each other", () -> nodes.stream().allMatch(n -> {
            List<NodeLine> view = n.clusterNodes();
            return view.size() == 6 && view.stream().noneMatch(l -> l.has("handshake") || l.has("noaddr"));
        }));
        for (int i = 0; i < 3; i++) {
            Node replica = replicas.get(i);
            Node primary = primaries.get(i);
            await("node " + replica.port + " accepts CLUSTER REPLICATE " + primary.port, () -> {
                try (RespConnection c = replica.connect()) {
                    return "OK".equals(c.command("CLUSTER", "REPLICATE", primary.id));
                } catch (IOException e) {
                    return false; // "Unknown node" until the primary's slots have propagated
                }
            });
        }
        awaitHealthy(3);
    }

    /**
     * Waits (bounded) until every running node says {@code cluster_state:ok}, sees the given number of healthy
     * primaries with slots and no node it has not flagged correctly, and every running replica's link is up.
     *
     * @param replicasExpected how many running replicas must have an up link
     * @throws IOException if that does not happen in time
     */
    public void awaitHealthy(int replicasExpected) throws IOException {
        await("cluster_state:ok, three primaries and " + replicasExpected + " synced replicas", () -> {
            List<Node> running = running();
            for (Node n : running) {
                if (!n.info("cluster", "CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
                List<NodeLine> view = n.clusterNodes();
                long primaries = view.stream().filter(l -> l.has("master") && !l.has("fail") && !l.has("fail?")
                        && !l.slots.isEmpty()).count();
                if (primaries != 3) {
                    return false;
                }
                // Every live node appears, with the role it says it has, in every view (gossip converges at a pace
                // set by the node timeout: a view can lag behind a node's own role for a while).
                for (Node other : running) {
                    String role = other.isPrimary() ? "master" : "slave";
                    if (view.stream().noneMatch(l -> l.id.equals(other.id) && l.has(role) && !l.has("fail")
                            && !l.has("fail?"))) {
                        return false;
                    }
                }
            }
            int synced = 0;
            for (Node n : running) {
                String replication = n.info("replication", "INFO", "replication");
                if (replication.contains("role:slave")) {
                    if (!replication.contains("master_link_status:up")) {
                        return false;
                    }
                    synced++;
                }
            }
            return synced == replicasExpected;
        });
    }

    /**
     * Waits (bounded) until the given, killed primary is flagged {@code fail} by every running node, three healthy
     * primaries own all slots again and the cluster is {@code ok} everywhere.
     *
     * @param killed the killed primary
     * @param timeoutMillis the bound
     * @throws IOException if that does not happen in time
     */
    public void awaitFailover(Node killed, long timeoutMillis) throws IOException {
        await("failover of " + killed.port, timeoutMillis, () -> running().stream().allMatch(n -> {
            if (!n.info("cluster", "CLUSTER", "INFO").contains("cluster_state:ok")) {
                return false;
            }
            List<NodeLine> view = n.clusterNodes();
            boolean failed = view.stream().anyMatch(l -> l.id.equals(killed.id) && l.has("fail"));
            List<NodeLine> healthy = view.stream().filter(l -> l.has("master") && !l.has("fail") && !l.has("fail?")
                    && !l.slots.isEmpty()).toList();
            int slots = healthy.stream().mapToInt(l -> l.slots.stream().mapToInt(r -> r[1] - r[0] + 1).sum()).sum();
            return failed && healthy.size() == 3 && slots == SLOTS
                    && healthy.stream().noneMatch(l -> l.id.equals(killed.id));
        }));
    }

    /**
     * The six nodes, in start order (at start: primaries 0-2, node {@code i + 3} replicates node {@code i}).
     *
     * @return the nodes
     */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The nodes whose process runs.
     *
     * @return the running nodes
     */
    public List<Node> running() {
        return nodes.stream().filter(n -> n.process.isAlive()).toList();
    }

    /**
     * The running nodes that are primaries now, each by its own word ({@code ROLE}), not by another node's view.
     *
     * @return the primaries
     */
    public List<Node> primaries() {
        return running().stream().filter(Node::isPrimary).toList();
    }

    /**
     * The running primary that owns a key's slot now.
     *
     * @param key the key
     * @return its primary
     */
    public Node primaryOf(String key) {
        Node any = running().get(0);
        int slot;
        try (RespConnection c = any.connect()) {
            slot = ((Long) c.command("CLUSTER", "KEYSLOT", key)).intValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The owner's own view of itself is authoritative; another node's view can lag behind.
        for (Node primary : primaries()) {
            for (NodeLine l : primary.clusterNodes()) {
                if (l.has("myself") && l.owns(slot)) {
                    return primary;
                }
            }
        }
        throw new IllegalStateException("no primary owns slot " + slot);
    }

    /**
     * The running replicas of a primary now.
     *
     * @param primary the primary
     * @return its replicas
     */
    public List<Node> replicasOf(Node primary) {
        return primary.clusterNodes().stream().filter(l -> primary.id.equals(l.primaryId) && !l.has("fail"))
                .map(l -> byId(l.id)).filter(n -> n.process.isAlive()).toList();
    }

    private Node byId(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown node " + id));
    }

    /**
     * The seed addresses for {@code config.useClusterServers().addNodeAddress(...)}.
     *
     * @return {@code redis://127.0.0.1:port} of every node
     */
    public String[] addresses() {
        return nodes.stream().map(Node::address).toArray(String[]::new);
    }

    /** Stops every process, waits (bounded) for them to end, and deletes the directories. Idempotent. */
    @Override
    public void close() {
        nodes.forEach(n -> n.process.destroyForcibly());
        nodes.forEach(Node::stop);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
        deleteTree(dir);
    }

    private int majorVersion() throws IOException {
        String server = nodes.get(0).info("server", "INFO", "server");
        for (String line : server.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return Integer.parseInt(line.substring("redis_version:".length()).split("\\.")[0]);
            }
        }
        throw new IOException("no redis_version in INFO server");
    }

    private static void expectOk(Object reply) throws IOException {
        if (!"OK".equals(reply)) {
            throw new IOException("expected OK, got " + reply);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws IOException {
        await(what, FORM_TIMEOUT_MILLIS, condition);
    }

    private static void await(String what, long timeoutMillis, BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a node not answering yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for: " + what, e);
            }
        }
        throw new IOException("Redis Cluster: not reached within " + timeoutMillis + " ms: " + what, last);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }

    /** One {@code redis-server} of the cluster. */
    public static final class Node {
        private final int port;
        private final Process process;
        private final String id;

        private Node(int port, Process process, String id) {
            this.port = port;
            this.process = process;
            this.id = id;
        }

        static Node start(String binary, Path dir, long nodeTimeoutMillis) throws IOException {
            Files.createDirectories(dir);
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) { // a free port can be taken between probe and bind
                int port = freePortWithFreeBus();
                Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-node-timeout", Long.toString(nodeTimeoutMillis),
                        "--cluster-config-file", dir.resolve("nodes.conf").toString(), "--dir", dir.toString(),
                        "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
                try {
                    awaitPing(port, process);
                    try (RespConnection c = new RespConnection("127.0.0.1", port)) {
                        return new Node(port, process, (String) c.command("CLUSTER", "MYID"));
                    }
                } catch (IOException e) {
                    process.destroyForcibly();
                    last = e;
                    Files.deleteIfExists(dir.resolve("nodes.conf"));
                }
            }
            throw last;
        }

        private static void awaitPing(int port, Process process) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            IOException last = null;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port);
                }
                try (RespConnection c = new RespConnection("127.0.0.1", port)) {
                    if ("PONG".equals(c.command("PING"))) {
                        return;
                    }
                } catch (IOException e) {
                    last = e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            throw new IOException("redis-server on port " + port + " did not answer PING in time", last);
        }

        /** A port whose cluster bus port (+10000) is free and valid too. */
        private static int freePortWithFreeBus() throws IOException {
            for (int i = 0; i < 100; i++) {
                int port = ThreadLocalRandom.current().nextInt(20_000, HIGHEST_PORT);
                if (free(port) && free(port + 10_000)) {
                    return port;
                }
            }
            throw new IOException("no free port pair (p, p + 10000) found on loopback");
        }

        private static boolean free(int port) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return true;
            } catch (IOException e) {
                return false;
            }
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
         * The cluster node id.
         *
         * @return the id
         */
        public String id() {
            return id;
        }

        /**
         * The Redisson address.
         *
         * @return {@code redis://127.0.0.1:port}
         */
        public String address() {
            return "redis://127.0.0.1:" + port;
        }

        /**
         * A new raw connection to this node.
         *
         * @return the connection
         * @throws IOException if it cannot connect
         */
        public RespConnection connect() throws IOException {
            return new RespConnection("127.0.0.1", port);
        }

        /**
         * Whether the process runs.
         *
         * @return true if alive
         */
        public boolean isRunning() {
            return process.isAlive();
        }

        /** Kills the process with SIGKILL (no chance to flush or tell anyone) and waits (bounded) for it to end. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Whether this node says it is a primary ({@code ROLE}).
         *
         * @return true for a primary
         */
        public boolean isPrimary() {
            try (RespConnection c = connect()) {
                return "master".equals(((List<?>) c.command("ROLE")).get(0));
            } catch (IOException e) {
                throw new UncheckedIOException("node " + port + ": role", e);
            }
        }

        /**
         * This node's view of the cluster ({@code CLUSTER NODES}), parsed.
         *
         * @return one line per known node
         */
        public List<NodeLine> clusterNodes() {
            return NodeLine.parse(info("nodes", "CLUSTER", "NODES"));
        }

        private String info(String what, String... command) {
            try (RespConnection c = connect()) {
                return (String) c.command(command);
            } catch (IOException e) {
                throw new UncheckedIOException("node " + port + ": " + what, e);
            }
        }

        @Override
        public String toString() {
            return "127.0.0.1:" + port + " (" + id.substring(0, 8) + ")";
        }
    }

    /** One line of {@code CLUSTER NODES}. */
    public static final class NodeLine {
        final String id;
        final List<String> flags;
        final String primaryId;
        final List<int[]> slots;

        private NodeLine(String id, List<String> flags, String primaryId, List<int[]> slots) {
            this.id = id;
            this.flags = flags;
            this.primaryId = primaryId;
            this.slots = slots;
        }

        static List<NodeLine> parse(String text) {
            Map<String, NodeLine> lines = new TreeMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                List<int[]> slots = new ArrayList<>();
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue; // a slot being migrated or imported
                    }
                    String[] range = f[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
                }
                lines.put(f[0], new NodeLine(f[0], List.of(f[2].split(",")), f[3], slots));
            }
            return List.copyOf(lines.values());
        }

        boolean has(String flag) {
            return flags.contains(flag);
        }

        boolean owns(int slot) {
            return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
        }

        /**
         * The node id.
         *
         * @return the id
         */
        public String id() {
            return id;
        }

        /**
         * The flags ({@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, ...).
         *
         * @return the flags
         */
        public List<String> flags() {
            return flags;
        }
    }
}
