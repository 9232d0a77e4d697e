package dev.idem.store.redisson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedissonIdempotencyStore}, one per store operation, each run atomically by Redis.
 *
 * <p>Each script opens with the record's names ({@link RecordLayout#LUA_LOCALS}: {@code STATE}, {@code IN_FLIGHT},
 * ...) and {@code MAX_MILLIS}, then binds each of its inputs ({@code KEYS[i]}, {@code ARGV[i]}) once to a named local;
 * below that only the names are used. The comments here give each script's inputs and reply by those names.
 *
 * <p>Time is Redis's own: a record's lease or ttl is the key's expiry ({@code PEXPIRE}), which Redis judges by its own
 * clock (frozen for the duration of a script), so an expired record is simply absent, whatever the callers' clocks
 * say. No script takes a caller's "now". Every script that writes checks its duration argument before its first
 * write, so no error can leave a record behind without an expiry.
 */
final class RedisScripts {

    /** The longest lease or ttl accepted, in milliseconds: {@code IdempotencyConfig.MAX_DURATION}. */
    static final long MAX_MILLIS = dev.idem.core.IdempotencyConfig.MAX_DURATION.toMillis();

    /** The first lines of every script: the record's names and the duration bound, as Lua locals. */
    private static final String PRELUDE = RecordLayout.LUA_LOCALS + "local MAX_MILLIS = " + MAX_MILLIS + "\n";

    /**
     * Lua that reads the duration input {@code <name>_text} as {@code <name>}, in milliseconds, and answers an error,
     * before anything is written, unless it is a whole number from 1 to {@code MAX_MILLIS}.
     */
    private static String requireMillis(String name) {
        return "local " + name + " = tonumber(" + name + "_text)\n"
                + "if not " + name + " or " + name + " ~= math.floor(" + name + ") or " + name + " < 1 or " + name
                + " > MAX_MILLIS then\n"
                + "  return redis.error_reply('ERR idem: invalid " + name + " ' .. tostring(" + name + "_text))\n"
                + "end\n";
    }

    /** Lua that answers 0, before anything is written, unless {@code token} owns the in-flight {@code record}. */
    private static final String REQUIRE_IN_FLIGHT_OWNER = """
            local state, owner = unpack(redis.call('HMGET', record, STATE, OWNER))
            if state ~= IN_FLIGHT or owner ~= token then
              return 0
            end
            """;

    /**
     * The record's state, read on the primary; used only by waiters, after subscribing. Inputs: {@code record}.
     * Reply: {@code STATE}'s value, or nil when there is no record.
     */
    static final Script STATE = new Script("""
            local record = KEYS[1]
            return redis.call('HGET', record, STATE)
            """);

    /**
     * Claim or read. Inputs: {@code record}; {@code token}, {@code fingerprint}, {@code lease_text} (milliseconds).
     * Reply: {@code {CLAIMED}} when claimed (or already claimed by this token: a retried claim), else the live record
     * unchanged: {@code {state, remaining, fingerprint, owner, kind, detail, bytes}}, where {@code remaining} is its
     * lease or ttl left in milliseconds ({@code PTTL}, as text, read in the same script: a completed record's ttl left
     * costs no extra command, and a near-cache keeps the record no longer) and a field the record lacks is nil.
     */
    static final Script CLAIM = new Script("""
            local record = KEYS[1]
            local token = ARGV[1]
            local fingerprint = ARGV[2]
            local lease_text = ARGV[3]
            """ + requireMillis("lease") + """
            local state, recorded_fingerprint, owner, kind, detail, bytes =
              unpack(redis.call('HMGET', record, STATE, FINGERPRINT, OWNER, KIND, DETAIL, BYTES))
            if state then
              if state == IN_FLIGHT and owner == token then
                return {CLAIMED}
              end
              -- PTTL is below 2^53 (durations are bounded), so tostring prints it exactly, without an exponent
              local remaining = tostring(redis.call('PTTL', record))
              return {state, remaining, recorded_fingerprint, owner, kind, detail, bytes}
            end
            redis.call('HSET', record, STATE, IN_FLIGHT, FINGERPRINT, fingerprint, OWNER, token)
            redis.call('PEXPIRE', record, lease)
            return {CLAIMED}
            """);

    /**
     * Complete, only by the live owner. Inputs: {@code record}; {@code token}, {@code ttl_text} (milliseconds),
     * {@code channel}, then from {@code ARGV[first_field]} on the completed record's field/value pairs
     * ({@link RecordLayout#completedRecord}). Replaces the record by those fields, sets its ttl and publishes
     * {@code COMPLETED} on {@code channel}. Reply: 1 if recorded (or already recorded by this owner), else 0.
     */
    static final Script COMPLETE = new Script("""
            local record = KEYS[1]
            local token = ARGV[1]
            local ttl_text = ARGV[2]
            local channel = ARGV[3]
            local first_field = 4
            """ + requireMillis("ttl") + """
            local state, owner = unpack(redis.call('HMGET', record, STATE, OWNER))
            if owner ~= token then
              return 0
            end
            if state == COMPLETED then
              return 1
            end
            redis.call('DEL', record)
            redis.call('HSET', record, unpack(ARGV, first_field))
            redis.call('PEXPIRE', record, ttl)
            redis.call('PUBLISH', channel, COMPLETED)
            return 1
            """);

    /**
     * Release, only by the owner of an in-flight record. Inputs: {@code record}; {@code token}, {@code channel}.
     * Deletes the record and publishes {@code RELEASED} on {@code channel}. Reply: 1 if released, else 0.
     */
    static final Script RELEASE = new Script("""
            local record = KEYS[1]
            local token = ARGV[1]
            local channel = ARGV[2]
            """ + REQUIRE_IN_FLIGHT_OWNER + """
            redis.call('DEL', record)
            redis.call('PUBLISH', channel, RELEASED)
            return 1
            """);

    /**
     * Renew, only by the owner of an in-flight record. Inputs: {@code record}; {@code token}, {@code lease_text}
     * (milliseconds). Sets the record's expiry to {@code lease} from now. Reply: 1 if renewed, else 0.
     */
    static final Script RENEW = new Script("""
            local record = KEYS[1]
            local token = ARGV[1]
            local lease_text = ARGV[2]
            """ + requireMillis("lease") + REQUIRE_IN_FLIGHT_OWNER + """
            redis.call('PEXPIRE', record, lease)
            return 1
            """);

    private RedisScripts() {
    }

    /** A script's whole text ({@link #PRELUDE}, then its body) and its SHA-1, the name Redis caches it under. */
    record Script(String text, String sha) {
        Script(String body) {
            this(PRELUDE + body, sha1(PRELUDE + body));
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
