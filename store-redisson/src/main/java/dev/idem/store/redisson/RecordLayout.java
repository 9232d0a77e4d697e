package dev.idem.store.redisson;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a record sits in Redis, spelled once: the hash's field names, the state codes, the outcome kind codes and the
 * words the scripts answer or publish. The Lua scripts ({@link RedisScripts}) get the same names as Lua locals from
 * {@link #LUA_LOCALS}, and the store writes completed records and reads claim replies only through this class, so no
 * code is written in two places.
 *
 * <p>A record is one hash with short field names (they are stored once per record): {@link #STATE}, {@link
 * #FINGERPRINT}, {@link #OWNER} (kept in a completed record too, so that a retried {@code complete} of the same owner
 * is recognised), {@link #KIND}, {@link #DETAIL} and {@link #BYTES}. Text is UTF-8; numbers are decimal ASCII.
 */
final class RecordLayout {

    /** Field: the record's state, {@link #IN_FLIGHT} or {@link #COMPLETED}. */
    static final String STATE = "s";
    /** Field: the fingerprint's hash. */
    static final String FINGERPRINT = "f";
    /** Field: the owner's token. */
    static final String OWNER = "o";
    /** Field: the outcome's kind, {@link #VALUE}, {@link #FAILURE} or {@link #UNENCODABLE}. */
    static final String KIND = "k";
    /** Field: the failure's type, or why the outcome could not be encoded. */
    static final String DETAIL = "t";
    /** Field: the encoded value, or the failure's message. */
    static final String BYTES = "b";

    /** State: claimed, the method is running. */
    static final String IN_FLIGHT = "I";
    /** State: the outcome is recorded. Also the message published when a record is completed. */
    static final String COMPLETED = "C";

    /** Kind: an encoded return value. */
    static final String VALUE = "V";
    /** Kind: an encoded failure. */
    static final String FAILURE = "F";
    /** Kind: an outcome that could not be encoded. */
    static final String UNENCODABLE = "U";

    /** The claim script's whole reply when the caller holds the claim. */
    static final String CLAIMED = "claimed";
    /** The message published when an in-flight record is released. */
    static final String RELEASED = "R";

    /** Lua that binds each name above to a local of the same name: the first lines of every script. */
    static final String LUA_LOCALS = luaLocal("STATE", STATE) + luaLocal("FINGERPRINT", FINGERPRINT)
            + luaLocal("OWNER", OWNER) + luaLocal("KIND", KIND) + luaLocal("DETAIL", DETAIL)
            + luaLocal("BYTES", BYTES) + luaLocal("IN_FLIGHT", IN_FLIGHT) + luaLocal("COMPLETED", COMPLETED)
            + luaLocal("CLAIMED", CLAIMED) + luaLocal("RELEASED", RELEASED);

    private static final byte[] EMPTY = new byte[0];

    private RecordLayout() {
    }

    private static String luaLocal(String name, String code) {
        return "local " + name + " = '" + code + "'\n";
    }

    /**
     * The completed record as the complete script's field/value arguments ({@code ARGV[4..]}), in the order the
     * fields are listed above; only the fields the outcome's kind uses.
     */
    static List<byte[]> completedRecord(String token, Fingerprint fingerprint, Outcome outcome) {
        List<byte[]> fields = new ArrayList<>(12);
        field(fields, STATE, bytes(COMPLETED));
        field(fields, FINGERPRINT, bytes(fingerprint.hash()));
        field(fields, OWNER, bytes(token));
        switch (outcome.kind()) {
            case ENCODED_VALUE -> {
                field(fields, KIND, bytes(VALUE));
                field(fields, BYTES, outcome.bytes());
            }
            case ENCODED_FAILURE -> {
                field(fields, KIND, bytes(FAILURE));
                field(fields, DETAIL, bytes(outcome.failureType()));
                if (outcome.bytes() != null) {
                    field(fields, BYTES, outcome.bytes());
                }
            }
            case UNENCODABLE -> {
                field(fields, KIND, bytes(UNENCODABLE));
                field(fields, DETAIL, bytes(outcome.reason()));
            }
            default -> throw new IllegalArgumentException("the Redisson store records encoded outcomes only (it "
                    + "does not keep objects), got " + outcome);
        }
        return fields;
    }

    /**
     * Reads the claim script's reply ({@link RedisScripts#CLAIM}): {@code {CLAIMED}}, or the live record as
     * {@code {state, remaining, fingerprint, owner, kind, detail, bytes}}; {@code remaining} ({@code PTTL}) is an
     * in-flight record's lease left, or a completed record's ttl left ({@link StoredRecord#ttlRemainingMillis()}).
     */
    static ClaimResult claimResult(List<byte[]> reply) {
        String state = text(reply.get(0));
        if (CLAIMED.equals(state)) {
            return ClaimResult.CLAIMED;
        }
        String remaining = text(reply.get(1));
        Fingerprint recorded = Fingerprint.ofHash(text(reply.get(2)));
        if (IN_FLIGHT.equals(state)) {
            String owner = text(reply.get(3));
            // PTTL: -1 would mean a record without expiry, which no script writes; treat it as a lease about to end.
            return StoredRecord.inFlight(owner, recorded, Math.max(0, Long.parseLong(remaining)));
        }
        return StoredRecord.completed(recorded, outcome(text(reply.get(4)), text(reply.get(5)), reply.get(6)),
                ttlRemaining(Long.parseLong(remaining)));
    }

    /**
     * A completed record's {@code PTTL} as {@link StoredRecord#ttlRemainingMillis()}: -1 (a key without expiry, which
     * no script writes) and -2 (no key, which cannot happen inside the script that just read it) are both "unknown",
     * so that nothing keeps such a record locally.
     */
    static long ttlRemaining(long pttl) {
        return pttl < 0 ? -1 : pttl;
    }

    /** Whether a record's {@link #STATE} field, as the state script reads it, says it is in flight. */
    static boolean isInFlight(byte[] state) {
        return IN_FLIGHT.equals(text(state));
    }

    private static Outcome outcome(String kind, String detail, byte[] bytes) {
        return switch (kind) {
            case VALUE -> Outcome.encodedValue(bytes == null ? EMPTY : bytes);
            case FAILURE -> Outcome.encodedFailure(detail, bytes == null ? null : text(bytes));
            case UNENCODABLE -> Outcome.unencodable(detail);
            default -> throw new IllegalStateException("unknown outcome kind '" + kind + "' in a Redis record");
        };
    }

    private static void field(List<byte[]> fields, String name, byte[] value) {
        fields.add(bytes(name));
        fields.add(value);
    }

    /** Text as the store writes it: UTF-8. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A number as the store writes it: decimal ASCII. */
    static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Text as the store reads it back: UTF-8, or null for a field the record does not have. */
    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
