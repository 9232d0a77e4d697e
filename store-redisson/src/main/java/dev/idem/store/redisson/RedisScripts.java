package dev.idem.store.redisson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedissonIdempotencyStore}, one per store operation, each run atomically by Redis.
 *
 * <p>A record is one hash with short field names: {@code s} state ({@code I} in flight, {@code C} completed),
 * {@code x} absolute expiry in epoch millis of the engine's clock, {@code f} fingerprint hash, {@code o} owner token
 * (kept in a completed record too, so that a retried {@code complete} of the same owner is recognised), {@code k}
 * outcome kind, {@code t} failure type or unencodable reason, {@code b} outcome bytes or failure message.
 *
 * <p>Numbers travel as decimal strings and are only compared in Lua ({@code tonumber}, exact below 2^53), never
 * formatted there: Lua's {@code tostring} would print an epoch millis value in exponent notation.
 */
final class RedisScripts {

    /** The state field of a record, read on the primary: KEYS[1] record. Used only by waiters, after subscribing. */
    static final String STATE = "return redis.call('HGET', KEYS[1], 's')";

    /**
     * Claim or read. KEYS[1] record; ARGV: token, fingerprint hash, now, lease expiry, lease millis, channel.
     * Returns {@code {'claimed'}} when claimed, else the live record's fields {@code s, x, f, o, k, t, b}.
     */
    static final RedisScripts.Script CLAIM = new Script("""
            local r = redis.call('HMGET', KEYS[1], 's', 'x', 'f', 'o', 'k', 't', 'b')
            if r[1] then
              if tonumber(r[2]) > tonumber(ARGV[3]) then
                if r[1] == 'I' and r[4] == ARGV[1] then
                  return {'claimed'}
                end
                return r
              end
              redis.call('DEL', KEYS[1])
              redis.call('PUBLISH', ARGV[6], 'E')
            end
            redis.call('HSET', KEYS[1], 's', 'I', 'x', ARGV[4], 'f', ARGV[2], 'o', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return {'claimed'}
            """);

    /**
     * Complete, only by the live owner. KEYS[1] record; ARGV: token, now, ttl millis, channel, then the completed
     * record's field/value pairs. Returns 1 if recorded (or already recorded by this owner), else 0.
     */
    static final RedisScripts.Script COMPLETE = new Script("""
            local r = redis.call('HMGET', KEYS[1], 's', 'o', 'x')
            if r[2] ~= ARGV[1] then
              return 0
            end
            if r[1] == 'C' then
              return 1
            end
            if tonumber(r[3]) <= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 5))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PUBLISH', ARGV[4], 'C')
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

    /**
     * Renew, only by the live owner. KEYS[1] record; ARGV: token, now, new lease expiry, lease millis. Returns 1 if
     * renewed, else 0.
     */
    static final RedisScripts.Script RENEW = new Script("""
            local r = redis.call('HMGET', KEYS[1], 's', 'o', 'x')
            if r[1] ~= 'I' or r[2] ~= ARGV[1] or tonumber(r[3]) <= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'x', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
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
