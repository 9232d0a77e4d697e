package dev.idem.benchmarks.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Receipt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The hand-written floor of the Redis benchmarks: memoization with raw Redisson on the same client as idem, doing the
 * fewest commands that can do the job. A replay is one {@code GET} (then the bytes decoded into the receipt); a first
 * call is {@code SET NX} with a lease (the claim), the body, and {@code SET} with the ttl (the outcome, as JSON).
 * What the floor leaves out, and idem pays for: the fingerprint check, the owner token (fencing), the in-flight state
 * and its waiters, the outcome's type information, the Lua scripts. Values go through {@link ByteArrayCodec}, as the
 * store's do, so neither side pays for Redisson's default codec.
 *
 * <p>Thread-safe.
 */
final class RedisFloor {
    /** The ttl of a recorded outcome, the same as {@link RedisPayments}'. */
    static final Duration TTL = Duration.ofMinutes(1);

    /** The lease of a claim, idem's default. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private static final byte[] IN_FLIGHT = {'?'};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonClient client;

    RedisFloor(RedissonClient client) {
        this.client = client;
    }

    private RBucket<byte[]> bucket(ChargeRequest request) {
        return client.getBucket("floor:" + request.getId(), ByteArrayCodec.INSTANCE);
    }

    /**
     * A replay: {@code GET}, then decode.
     *
     * @param request a request recorded before
     * @return its receipt
     * @throws IllegalStateException if none is recorded
     */
    Receipt replay(ChargeRequest request) {
        byte[] bytes = bucket(request).get();
        if (bytes == null) {
            throw new IllegalStateException("no receipt recorded for " + request.getId());
        }
        return decode(bytes);
    }

    /**
     * A first call: {@code SET NX PX} (claim), the body, {@code SET PX} (record).
     *
     * @param request a request with a new key
     * @return its receipt
     * @throws IllegalStateException if the key was taken
     */
    Receipt firstCall(ChargeRequest request) {
        RBucket<byte[]> bucket = bucket(request);
        if (!bucket.setIfAbsent(IN_FLIGHT, LEASE)) {
            throw new IllegalStateException("key " + request.getId() + " is not new");
        }
        Receipt receipt = Receipt.of(request);
        bucket.set(encode(receipt), TTL);
        return receipt;
    }

    private static byte[] encode(Receipt receipt) {
        try {
            return JSON.writeValueAsBytes(receipt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Receipt decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Receipt.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
