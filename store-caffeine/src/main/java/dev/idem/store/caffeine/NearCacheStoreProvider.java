package dev.idem.store.caffeine;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets an application put a {@link NearCachedStore} in front of a shared store without code, by settings (system
 * properties or {@code idem.properties}):
 *
 * <pre>
 * idem.store=nearcache
 * idem.nearcache.store=redisson                  (the provider of the shared store; required)
 * idem.nearcache.maximumSize=10000               (optional; default 10000)
 * idem.nearcache.maximumLocalTtl=5m              (optional: 500ms, 30s, 15m, 24h, 7d or ISO-8601 PT5M;
 *                                                 default: each record's own expiry)
 * idem.redisson.address=redis://127.0.0.1:6379   (the shared store's own settings, as without a near-cache)
 * </pre>
 *
 * <p>The shared store is created by its own provider, from the same settings. Its priority is negative: it is used
 * only when {@code idem.store=nearcache} names it.
 */
public final class NearCacheStoreProvider implements IdempotencyStoreProvider {
    /** This provider's name, the value of {@code idem.store} that selects it. */
    public static final String NAME = "nearcache";
    /** The setting that names the provider of the shared store behind the near-cache. */
    public static final String STORE_SETTING = "idem.nearcache.store";
    /** The setting for {@link NearCachedStore.Builder#maximumSize(long)}. */
    public static final String MAXIMUM_SIZE_SETTING = "idem.nearcache.maximumSize";
    /** The setting for {@link NearCachedStore.Builder#maximumLocalTtl(Duration)}. */
    public static final String MAXIMUM_LOCAL_TTL_SETTING = "idem.nearcache.maximumLocalTtl";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    /** Creates the provider; called by {@link ServiceLoader}. */
    public NearCacheStoreProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -20;
    }

    /**
     * Refuses: the near-cache needs {@value #STORE_SETTING}.
     *
     * @throws IllegalArgumentException always
     */
    @Override
    public IdempotencyStore create() {
        return create(Map.of());
    }

    @Override
    public IdempotencyStore create(Map<String, String> settings) {
        String storeName = settings.get(STORE_SETTING);
        if (storeName == null || storeName.isBlank()) {
            throw new IllegalArgumentException("the near-cache needs " + STORE_SETTING
                    + ", the name of the shared store it goes in front of (for example redisson)");
        }
        if (storeName.equals(NAME)) {
            throw new IllegalArgumentException(STORE_SETTING + " = " + storeName + ": a near-cache goes in front of a "
                    + "shared store, not of itself");
        }
        NearCachedStore.Builder builder;
        IdempotencyStore shared = provider(storeName).create(settings);
        try {
            builder = NearCachedStore.builder(shared);
            String size = settings.get(MAXIMUM_SIZE_SETTING);
            if (size != null) {
                builder.maximumSize(parseSize(size));
            }
            String ttl = settings.get(MAXIMUM_LOCAL_TTL_SETTING);
            if (ttl != null) {
                builder.maximumLocalTtl(parseDuration(ttl));
            }
        } catch (RuntimeException e) {
            closeQuietly(shared, e);
            throw e;
        }
        return builder.build();
    }

    private static IdempotencyStoreProvider provider(String name) {
        List<IdempotencyStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(IdempotencyStoreProvider.class, NearCacheStoreProvider.class.getClassLoader())
                .forEach(providers::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            ServiceLoader.load(IdempotencyStoreProvider.class, context).forEach(providers::add);
        }
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(STORE_SETTING + " = " + name + ": no store provider "
                        + "of that name on the class path; found: "
                        + providers.stream().map(IdempotencyStoreProvider::name).distinct().toList()));
    }

    private static long parseSize(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAXIMUM_SIZE_SETTING + " must be a whole number, got '" + text + "'");
        }
    }

    private static Duration parseDuration(String text) {
        String trimmed = text.trim();
        Matcher shortForm = SHORT_DURATION.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            try {
                return switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofSeconds(Math.multiplyExact(amount, 60));
                    case "h" -> Duration.ofSeconds(Math.multiplyExact(amount, 3_600));
                    default -> Duration.ofSeconds(Math.multiplyExact(amount, 86_400));
                };
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(MAXIMUM_LOCAL_TTL_SETTING + " is too long: '" + text + "'");
            }
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(MAXIMUM_LOCAL_TTL_SETTING + " must be a duration such as 500ms, 30s, "
                    + "15m, 24h, 7d or PT5M, got '" + text + "'");
        }
    }

    private static void closeQuietly(IdempotencyStore store, RuntimeException cause) {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
