package dev.idem.store.redisson;

import dev.idem.store.redisson.testing.RespConnection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sees from the servers' side that a waiter is in place: subscribed to its key's channel, and done re-reading the
 * record on the primary. From then on only a message can wake it, so a test can release the key knowing what it
 * proves, without sleeping and hoping.
 */
final class WaiterProbe {
    private static final Pattern STATE_READS = Pattern.compile("cmdstat_hget:calls=(\\d+)");
    private static final long BOUND_MILLIS = 10_000;

    private WaiterProbe() {
    }

    /**
     * How many HGET commands the server has run, inside scripts too: a waiter's re-read of the record's state is one
     * (claims, completions and renewals read with HMGET).
     */
    static long stateReads(RespConnection primary) throws IOException {
        Matcher m = STATE_READS.matcher((String) primary.command("INFO", "commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Waits until the key's channel has a subscriber on one of the nodes and the primary has run a state re-read more
     * than {@code readsBefore}.
     */
    static void awaitWaiter(String fullKey, RespConnection primary, long readsBefore, List<RespConnection> nodes)
            throws IOException, InterruptedException {
        String channel = RedissonIdempotencyStore.channel(RedissonIdempotencyStore.redisKey(fullKey));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (subscribers(channel, nodes) < 1 || stateReads(primary) <= readsBefore) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no waiter subscribed to " + channel + " and re-read within "
                        + BOUND_MILLIS + " ms: subscribers " + subscribers(channel, nodes) + ", state reads "
                        + stateReads(primary) + " (before: " + readsBefore + ")");
            }
            Thread.sleep(5); // poll interval of a bounded wait
        }
    }

    private static long subscribers(String channel, List<RespConnection> nodes) throws IOException {
        long total = 0;
        for (RespConnection node : nodes) {
            List<?> reply = (List<?>) node.command("PUBSUB", "NUMSUB", channel);
            total += (Long) reply.get(1);
        }
        return total;
    }
}
