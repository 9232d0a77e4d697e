package dev.idem.store.redisson;

import org.redisson.api.RScript;

/**
 * The {@link RScript.ReturnType} constants the store uses, resolved once, when this class is initialised, by name, so
 * that one jar runs on Redisson 3.52.x and on 4.x.
 *
 * <p>Why: Redisson 4.0 renamed three constants ({@code MULTI} to {@code LIST}, {@code INTEGER} to {@code LONG},
 * {@code STATUS} to {@code STRING}). Code compiled against one line and naming a renamed constant directly fails on
 * the other at its first call with {@code NoSuchFieldError}. {@code valueOf} with the new name, then the old one,
 * costs one lookup per constant at class initialisation; the store's calls then read a static final field, as
 * before. {@code VALUE} (and {@code BOOLEAN}, {@code MAPVALUE}) kept their names; {@code VALUE} is resolved here too
 * so that every script call reads its type from one place.
 *
 * <p>Nothing else the store calls differs between Redisson 3.52 and 4.x in a way that matters to binary
 * compatibility: {@code OptionalOptions}, {@code PlainOptions} and their {@code InvocationOptions.timeout} and
 * {@code retryAttempts}, {@code getScript(options)}, {@code RBatch.getScript(codec)}, {@code RScriptAsync.evalAsync}
 * and {@code evalShaAsync}, {@code RTopic.addListenerAsync}, {@code BatchOptions.sync}, {@code BatchResult
 * .getSyncedSlaves}, {@code RedisNoScriptException} and {@code Config.fromYAML(File|URL)} keep their signatures.
 */
final class ReturnTypes {
    /** A multi-bulk reply as a list: Redisson 4's {@code LIST}, Redisson 3's {@code MULTI}. */
    static final RScript.ReturnType LIST = resolve("LIST", "MULTI");
    /** An integer reply: Redisson 4's {@code LONG}, Redisson 3's {@code INTEGER}. */
    static final RScript.ReturnType LONG = resolve("LONG", "INTEGER");
    /** A bulk reply decoded by the codec: {@code VALUE} on both lines. */
    static final RScript.ReturnType VALUE = resolve("VALUE", "VALUE");

    private ReturnTypes() {
    }

    private static RScript.ReturnType resolve(String name, String redisson3Name) {
        try {
            return RScript.ReturnType.valueOf(name);
        } catch (IllegalArgumentException notRedisson4) {
            try {
                return RScript.ReturnType.valueOf(redisson3Name);
            } catch (IllegalArgumentException neither) {
                IllegalStateException failure = new IllegalStateException("this Redisson has neither RScript.ReturnType."
                        + name + " nor RScript.ReturnType." + redisson3Name + "; idem-store-redisson supports Redisson "
                        + "3.52.x and 4.x");
                failure.addSuppressed(notRedisson4);
                throw failure;
            }
        }
    }
}
