package dev.idem.store.redisson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedissonIdempotencyStore}, one per store operation, each run atomically by Redis.
 *
 * <p>A record is one hash with short field names: {@code s} state ({@code I} in flight, {@code C} completed),
 * {@code f} fingerprint hash, {@code o} owner token (kept in a completed record too, so that a retried
 * {@code complete} of the same owner is recognised), {@code k} outcome kind, {@code t} failure type or unencodable
 * reason, {@code b} outcome bytes or failure message.
 *
 * <p>Time is Redis's own: a record's lease or ttl is the key's expiry ({@code PEXPIRE}), which Redis judges by its own
 * clock (frozen for the duration of a script), so an expired record is simply absent, whatever the callers' clocks
 * say. No script takes a caller's "now". Every script that writes checks its duration argument before its first
 * write, so no error can leave a record behind without an expiry.
 */
final class RedisScripts {

    /** The longest lease or ttl accepted, in milliseconds: {@code IdempotencyConfig.MAX_DURATION}. */
    static final long MAX_MILLIS = dev.idem.core.IdempotencyConfig.MAX_DURATION.toMillis();

    /** Lua that checks {@code ARGV[i]} as a duration in milliseconds before anything is written. */
    private static String requireMillis(int argument, String name) {
        return "local " + name + " = tonumber(ARGV[" + argument + "])\n"
                + "if not " + name + " or " + name + " < 1 or " + name + " > " + MAX_MILLIS + " then\n"
                + "  return redis.error_reply('ERR idem: invalid " + name + " ' .. tostring(ARGV[" + argument + "]))\n"
                + "end\n";
    }

    /** The state field of a record, read on the primary: KEYS[1] record. Used only by waiters, after subscribing. */
    static final String STATE = "return redis.call('HGET', KEYS[1], 's')";

    /**
     * Claim or read. KEYS[1] record; ARGV: token, fingerprint hash, lease millis. Returns {@code {'claimed'}} when
     * claimed (or already claimed by this token: a retried claim), else the live record: {@code s}, the remaining
     * lease or ttl in milliseconds ({@code PTTL}, as text), then {@code f, o, k, t, b}.
     */
    static final RedisScripts.Script CLAIM = new Script(requireMillis(3, "lease") + """
            local r = redis.call('HMGET', KEYS[1], 's', 'f', 'o', 'k', 't', 'b')
            if r[1] then
              if r[1] == 'I' and r[3] == ARGV[1] then
                return {'claimed'}
              end
              -- PTTL is below 2^53 (durations are bounded), so tostring prints it exactly, without an exponent
              return {r[1], tostring(redis.call('PTTL', KEYS[1])), r[2], r[3], r[4], r[5], r[6]}
            end
            redis.call('HSET', KEYS[1], 's', 'I', 'f', ARGV[2], 'o', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], lease)
            return {'claimed'}
            """);

    /**
     * Complete, only by the live owner. KEYS[1] record; ARGV: token, ttl millis, channel, then the completed
     * record's field/value pairs. Returns 1 if recorded (or already recorded by this owner), else 0.
     */
    static final RedisScripts.Script COMPLETE = new Script(requireMillis(2, "ttl") + """
            local r = redis.call('HMGET', KEYS[1], 's', 'o')
            if r[2] ~= ARGV[1] then
              return 0
            end
            if r[1] == 'C' then
              return 1
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('PEXPIRE', KEYS[1], ttl)
            redis.call('PUBLISH', ARGV[3], 'C')
            return 1
            """);

    /** Release, only by the owner. KEYS[1] record; ARGV: token, channel. Returns 1 if released, else 0. */
    static final RedisScripts.Script RELEASE = new Script("""
            local r = redis.call('HMGET', KEYS[1], 's', 'o')
            if r[1] ~= 'I' or r[2] ~= ARGV[1] then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', ARGV[2], 'R')
            return 1
            """);

    /** Renew, only by the live owner. KEYS[1] record; ARGV: token, lease millis. Returns 1 if renewed, else 0. */
    static final RedisScripts.Script RENEW = new Script(requireMillis(2, "lease") + """
            local r = redis.call('HMGET', KEYS[1], 's', 'o')
            if r[1] ~= 'I' or r[2] ~= ARGV[1] then
              return 0
            end
            redis.call('PEXPIRE', KEYS[1], lease)
            return 1
            """);

    private RedisScripts() {
    }

    /** A script's text and its SHA-1, the name Redis caches it under. */
    record Script(String text, String sha) {
        Script(String text) {
            this(text, sha1(text));
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by every Java platform", e);
            }
        }
    }
}
