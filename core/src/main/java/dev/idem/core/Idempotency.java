package dev.idem.core;

import dev.idem.core.internal.Capture;
import dev.idem.core.internal.Settings;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The entry point of idem: installs the {@link IdempotencyConfig} and creates idempotent operations.
 *
 * <pre>{@code
 * Idempotency.configure(IdempotencyConfig.builder()
 *         .defaultStore(CaffeineIdempotencyStore.create())
 *         .build());
 *
 * IdempotentOperation<Receipt> charge = Idempotency.operation("payments.charge", Receipt.class).build();
 * }</pre>
 *
 * <p>Without {@link #configure}, the zero-configuration default applies: the store found on the class path. Thread-safe;
 * configure once at start-up (a later {@code configure} applies to calls that start after it).
 */
public final class Idempotency {
    private static volatile IdempotencyConfig config;
    private static volatile IdempotencyConfig defaults;
    private static volatile RuntimeException defaultsFailure;
    private static final ReentrantLock DEFAULTS_LOCK = new ReentrantLock();

    private Idempotency() {
    }

    /**
     * Installs the configuration used by every annotated method and operation from now on.
     *
     * @param configuration the configuration
     */
    public static void configure(IdempotencyConfig configuration) {
        config = Objects.requireNonNull(configuration, "configuration");
        if (!configuration.fromSettings()) {
            warnIfSettingsIgnored();
        }
    }

    /**
     * A programmatic configuration replaces the {@code idem.*} settings: say so when there are some, rather than
     * silently ignore {@code -Didem.store=redisson}.
     */
    private static void warnIfSettingsIgnored() {
        java.util.Set<String> ignored;
        try {
            ignored = new java.util.TreeSet<>(Settings.load().keySet());
        } catch (RuntimeException e) {
            return; // unreadable settings are reported where they are used
        }
        if (!ignored.isEmpty()) {
            System.getLogger("dev.idem").log(System.Logger.Level.WARNING, "the idem settings {0} (system properties "
                    + "or " + Settings.RESOURCE + ") are ignored: a configuration made in code was installed with "
                    + "Idempotency.configure, and it does not read them. Build it with "
                    + "IdempotencyConfig.fromSettings(...) or defaults().toBuilder() to honour them, or remove them.",
                    ignored);
        }
    }

    /**
     * Goes back to the zero-configuration default, read again from the settings on next use (meant for tests).
     */
    public static void reset() {
        config = null;
        DEFAULTS_LOCK.lock();
        try {
            defaults = null;
            defaultsFailure = null;
        } finally {
            DEFAULTS_LOCK.unlock();
        }
    }

    /**
     * The configuration in force.
     *
     * @return the configured one, or the zero-configuration default
     */
    public static IdempotencyConfig config() {
        IdempotencyConfig c = config;
        if (c == null) {
            c = defaults();
        }
        return c;
    }

    /** Built once, on first use: it reads the settings and may create the store found on the class path. */
    private static IdempotencyConfig defaults() {
        IdempotencyConfig c = defaults;
        if (c != null) {
            return c;
        }
        DEFAULTS_LOCK.lock();
        try {
            if (defaults == null && defaultsFailure == null) {
                try {
                    defaults = IdempotencyConfig.defaults();
                } catch (RuntimeException e) {
                    defaultsFailure = e;
                }
            }
            if (defaultsFailure != null) {
                // Every call fails the same way, naming the setting, until the application configures idem.
                throw new IdempotencyConfigurationException("idem's default configuration failed: "
                        + defaultsFailure.getMessage(), defaultsFailure);
            }
            return defaults;
        } finally {
            DEFAULTS_LOCK.unlock();
        }
    }

    /**
     * Fails unless every {@code @Idempotent} method declared by these classes is woven by AspectJ: an opt-in start-up
     * check for applications woven at compile or load time, since a missing weaver agent does not fail anything by
     * itself, it just runs every duplicate. Call it early, for example first thing in {@code main}:
     *
     * <pre>{@code
     * Idempotency.requireWoven(PaymentService.class, OrderListener.class);
     * }</pre>
     *
     * <p>With load-time weaving a class is woven when it is loaded, which naming it here does. Spring AOP proxies are
     * not checked here (the Spring Boot starter's {@code idem.verify-proxies} checks beans).
     *
     * @param classes the classes to check
     * @throws IdempotencyConfigurationException naming every annotated method that is not woven
     * @throws NullPointerException if a class is null
     */
    public static void requireWoven(Class<?>... classes) {
        java.util.List<String> unwoven = new java.util.ArrayList<>();
        for (Class<?> type : classes) {
            Objects.requireNonNull(type, "class");
            for (java.lang.reflect.Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(dev.idem.annotation.Idempotent.class) && !method.isBridge()
                        && !dev.idem.core.weaving.IdempotentMethod.isWoven(method)) {
                    unwoven.add(type.getName() + "#" + method.getName());
                }
            }
        }
        if (!unwoven.isEmpty()) {
            throw new IdempotencyConfigurationException("these @Idempotent methods are not woven, so every call "
                    + "would run their body: " + unwoven + ". Weave them at compile time (aspectj-maven-plugin with "
                    + "idem-aspect on its aspect path) or at load time (-javaagent:aspectjweaver.jar with idem-aspect "
                    + "on the class path); see docs/weaving.md");
        }
    }

    /**
     * Starts building an operation whose result is of a plain type.
     *
     * @param namespace keeps this operation's keys apart from others', for example {@code payments.charge}
     * @param resultType the result type
     * @param <T> the result type
     * @return the builder
     */
    public static <T> IdempotentOperation.Builder<T> operation(String namespace, Class<T> resultType) {
        return IdempotentOperation.builder(namespace, resultType);
    }

    /**
     * Starts building an operation whose result is of a generic type, such as
     * {@code new TypeRef<List<Order>>() {}}.
     *
     * @param namespace keeps this operation's keys apart from others'
     * @param resultType the result type
     * @param <T> the result type
     * @return the builder
     */
    public static <T> IdempotentOperation.Builder<T> operation(String namespace, TypeRef<T> resultType) {
        return IdempotentOperation.builder(namespace, resultType.type());
    }

    /**
     * Runs one idempotent call (an {@code @Idempotent} method or an {@link IdempotentOperation}) and tells whether its
     * outcome was replayed, for example to set an
     * {@code Idempotent-Replayed} response header:
     *
     * <pre>{@code
     * IdempotentResult<Receipt> result = Idempotency.capture(() -> payments.charge(request));
     * if (result.replayed()) { response.setHeader("Idempotent-Replayed", "true"); }
     * }</pre>
     *
     * <p>Only the idempotent call made directly by {@code call} counts (the idempotent calls its body makes in turn do
     * not); make one idempotent call per capture. Exceptions propagate unchanged.
     *
     * @param call makes the idempotent call
     * @param <T> the result type
     * @return the result and whether it was replayed
     * @throws Exception what the call throws
     */
    public static <T> IdempotentResult<T> capture(Callable<T> call) throws Exception {
        Capture.Captured<T> captured = Capture.open(call::call);
        return new IdempotentResult<>(captured.value(), captured.replayed());
    }
}
