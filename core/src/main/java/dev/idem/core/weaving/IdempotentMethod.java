package dev.idem.core.weaving;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotencyException;
import dev.idem.core.internal.Canonical;
import dev.idem.core.internal.Capture;
import dev.idem.core.internal.Durations;
import dev.idem.core.internal.IdempotentCall;
import dev.idem.core.internal.OperationSpec;
import dev.idem.core.internal.PayloadFingerprint;
import dev.idem.core.internal.ResultTypes;
import dev.idem.core.internal.StoreLookup;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.KeyResolver;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * An {@link Idempotent} method as the engine sees it: the entry point that every weaving adapter calls. Obtain one
 * per method with {@link #of(Method)} and call {@link #invoke} for each call; an adapter needs nothing else.
 *
 * <p>The annotation's durations and expressions are parsed on the first call, with the key resolver of the
 * configuration in force, and kept; a bad one fails that call and every later one with an
 * {@link IdempotencyConfigurationException} naming the method, the attribute and the text, and the body never runs.
 * Thread-safe.
 */
public final class IdempotentMethod {
    private static final KeyExpression ALL_ARGUMENTS = args -> args;
    private static final ConcurrentHashMap<Method, IdempotentMethod> METHODS = new ConcurrentHashMap<>();

    private final Method method;
    private final Idempotent annotation;
    private final String name;
    private volatile Compiled compiled;

    /**
     * The engine's view of an {@code @Idempotent} method, made once per method and kept.
     *
     * @param method a method annotated with {@code @Idempotent}
     * @return its handler
     * @throws IllegalArgumentException if the method is not annotated
     */
    public static IdempotentMethod of(Method method) {
        IdempotentMethod handler = METHODS.get(method);
        if (handler == null) {
            handler = METHODS.computeIfAbsent(method, IdempotentMethod::new);
        }
        return handler;
    }

    private IdempotentMethod(Method method) {
        this.method = Objects.requireNonNull(method, "method");
        this.annotation = method.getAnnotation(Idempotent.class);
        this.name = method.getDeclaringClass().getName() + "#" + method.getName();
        if (annotation == null) {
            throw new IllegalArgumentException(name + " is not annotated with @Idempotent");
        }
    }

    /**
     * The method.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * Runs one call of the method with idempotency.
     *
     * @param args the call's arguments
     * @param body runs the method body
     * @return the result, recorded or replayed
     * @throws Throwable what the body throws, unchanged, or an {@link IdempotencyException}
     */
    public Object invoke(Object[] args, Invocation body) throws Throwable {
        IdempotencyConfig config = Idempotency.config();
        if (!config.enabled()) {
            return body.proceed();
        }
        Compiled c = compiled;
        if (c == null || c.config != config) {
            c = compile(config);
            compiled = c;
        }
        if (c.error != null) {
            throw new IdempotencyConfigurationException(c.error.getMessage(), c.error.getCause());
        }
        OperationSpec spec = c.spec;
        IdempotentCall call;
        if (c.key == null) {
            call = new IdempotentCall(config, spec, fingerprintOf(spec, args), fingerprint(c, args), body::proceed);
        } else {
            Object value;
            String missing = null;
            try {
                value = c.key.evaluate(args);
                if (value == null) {
                    missing = "the key expression '" + annotation.key() + "' evaluated to null";
                }
            } catch (NullSegmentException e) {
                value = null;
                missing = e.segment() + " is null in the key expression '" + annotation.key() + "'";
            }
            call = missing != null ? IdempotentCall.withoutKey(config, spec, missing, body::proceed)
                    : new IdempotentCall(config, spec, value instanceof String s ? s : Canonical.text(value),
                            fingerprint(c, args), body::proceed);
        }
        return Capture.around(call).value();
    }

    private static Fingerprint fingerprint(Compiled c, Object[] args) {
        if (c.fingerprint == null) {
            return Fingerprint.NONE;
        }
        if (c.fingerprint == ALL_ARGUMENTS) {
            return PayloadFingerprint.of(args);
        }
        Object payload;
        try {
            payload = c.fingerprint.evaluate(args);
        } catch (NullSegmentException e) {
            payload = null; // a null on the payload's path is a null payload, compared like any other
        }
        return PayloadFingerprint.of(payload);
    }

    private static String fingerprintOf(OperationSpec spec, Object[] args) {
        try {
            return PayloadFingerprint.of(args).hash();
        } catch (IllegalArgumentException e) {
            throw new IdempotencyConfigurationException("the arguments of " + spec.operation() + " have no canonical "
                    + "form to serve as the key (" + e.getMessage() + "); give a key expression", e);
        }
    }

    /** What is parsed once per method and configuration. */
    private static final class Compiled {
        final IdempotencyConfig config;
        final OperationSpec spec;
        final KeyExpression key;
        final KeyExpression fingerprint;
        final IdempotencyConfigurationException error;

        Compiled(IdempotencyConfig config, OperationSpec spec, KeyExpression key, KeyExpression fingerprint,
                IdempotencyConfigurationException error) {
            this.config = config;
            this.spec = spec;
            this.key = key;
            this.fingerprint = fingerprint;
            this.error = error;
        }
    }

    private Compiled compile(IdempotencyConfig config) {
        try {
            long ttl = duration("ttl", annotation.ttl());
            long lease = duration("lease", annotation.lease());
            long waitTimeout = duration("waitTimeout", annotation.waitTimeout());
            KeyResolver resolver = config.keyResolver();
            KeyExpression key = annotation.key().isBlank() ? null : expression(resolver, "key", annotation.key());
            String fp = annotation.fingerprint().trim();
            KeyExpression fingerprint = fp.isEmpty() ? ALL_ARGUMENTS
                    : fp.equals("none") ? null : expression(resolver, "fingerprint", fp);
            Type returnType = method.getGenericReturnType();
            boolean async = method.getReturnType() == CompletionStage.class
                    || method.getReturnType() == CompletableFuture.class;
            Type valueType = async ? valueTypeOf(returnType) : returnType;
            String namespace = annotation.namespace().isBlank() ? defaultNamespace(method) : annotation.namespace();
            OperationSpec spec = OperationSpec.builder(name, namespace, valueType)
                    .store(annotation.store())
                    .ttlMillis(ttl)
                    .leaseMillis(lease)
                    .waitTimeoutMillis(waitTimeout)
                    .onInFlight(annotation.onInFlight())
                    .onStoreError(annotation.onStoreError())
                    .keyRequired(annotation.keyRequired())
                    .replayFailures(annotation.replayFailures())
                    .async(async)
                    .classLoader(method.getDeclaringClass().getClassLoader())
                    .unless(unless(resolver, valueType))
                    .build();
            // an unknown store name is an error found early
            IdempotencyStore store = StoreLookup.storeOf(config, spec.storeName(), name);
            StoreLookup.logStoreOnce(config, spec, store);
            return new Compiled(config, spec, key, fingerprint, null);
        } catch (IdempotencyConfigurationException e) {
            return new Compiled(config, null, null, null, e);
        }
    }

    /**
     * The condition under which a returned value is not recorded: the annotation's, else the result type's default
     * (a {@link dev.idem.core.spi.ResultTypeSupport}'s), else none.
     */
    private Predicate<Object> unless(KeyResolver resolver, Type valueType) {
        String text = annotation.unless().trim();
        if (text.isEmpty()) {
            return ResultTypes.defaultUnless(erase(valueType));
        }
        if (text.equals("false")) {
            return null;
        }
        if (text.equals("true")) {
            return value -> true;
        }
        KeyExpression condition;
        try {
            condition = Objects.requireNonNull(resolver.compileCondition(text, method, valueType),
                    "the key resolver returned null");
        } catch (RuntimeException e) {
            throw new IdempotencyConfigurationException("@Idempotent(unless = \"" + text + "\") on " + name + ": "
                    + e.getMessage(), e);
        }
        String source = text;
        return value -> {
            Object verdict;
            try {
                verdict = condition.evaluate(new Object[] {value});
            } catch (NullSegmentException e) {
                return false; // a null on the path: not a "not processed" result, so it is recorded
            }
            if (verdict instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("@Idempotent(unless = \"" + source + "\") on " + name
                    + " evaluated to " + (verdict == null ? "null" : "a " + verdict.getClass().getName())
                    + ", not a Boolean");
        };
    }

    private static Class<?> erase(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private long duration(String attribute, String text) {
        try {
            return Durations.parse(text).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IdempotencyConfigurationException("@Idempotent(" + attribute + " = \"" + text + "\") on "
                    + name + ": " + e.getMessage(), e);
        }
    }

    private KeyExpression expression(KeyResolver resolver, String attribute, String text) {
        try {
            return Objects.requireNonNull(resolver.compile(text, method), "the key resolver returned null");
        } catch (RuntimeException e) {
            throw new IdempotencyConfigurationException("@Idempotent(" + attribute + " = \"" + text + "\") on "
                    + name + ": " + e.getMessage(), e);
        }
    }

    static Type valueTypeOf(Type stageType) {
        if (stageType instanceof ParameterizedType parameterized) {
            return parameterized.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    /**
     * The default namespace: {@code com.acme.Payments#charge}, the declaring class and the method name. Only an
     * {@code @Idempotent} overload (another {@code @Idempotent} method of the same name declared in the same class)
     * adds its parameter types, by simple name ({@code com.acme.Payments#charge(ChargeRequest,long)}), or by full
     * name if two overloads have the same simple names: overloads never share keys, yet a key is not spelled out with
     * every parameter type, and changing a parameter type of a method that has no overload keeps its records.
     */
    static String defaultNamespace(Method method) {
        String base = method.getDeclaringClass().getName() + '#' + method.getName();
        boolean overloaded = false;
        boolean simpleNamesClash = false;
        String simple = parameters(method, true);
        for (Method other : method.getDeclaringClass().getDeclaredMethods()) {
            if (other.getName().equals(method.getName()) && !other.equals(method) && !other.isBridge()
                    && !other.isSynthetic() && other.isAnnotationPresent(Idempotent.class)) {
                overloaded = true;
                simpleNamesClash |= parameters(other, true).equals(simple);
            }
        }
        if (!overloaded) {
            return base;
        }
        return base + (simpleNamesClash ? parameters(method, false) : simple);
    }

    private static String parameters(Method method, boolean simpleNames) {
        StringBuilder sb = new StringBuilder("(");
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(simpleNames ? types[i].getSimpleName() : types[i].getTypeName());
        }
        return sb.append(')').toString();
    }

    /**
     * Whether AspectJ wove advice into a method's execution, at compile time or at load time: ajc moves the body of
     * each advised method into a static {@code <name>_aroundBody<n>} method of the same class, taking the method's
     * parameters. A class that was not woven (the agent is missing, the aspect is not on ajc's aspect path) has none,
     * and its {@code @Idempotent} methods run every call. Calls through a Spring AOP proxy are not seen here.
     *
     * @param method the method
     * @return whether its execution is woven
     */
    public static boolean isWoven(Method method) {
        String prefix = method.getName() + "_aroundBody";
        Class<?>[] parameters = method.getParameterTypes();
        for (Method candidate : method.getDeclaringClass().getDeclaredMethods()) {
            if (candidate.getName().startsWith(prefix) && java.lang.reflect.Modifier.isStatic(candidate.getModifiers())
                    && containsInOrder(candidate.getParameterTypes(), parameters)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsInOrder(Class<?>[] all, Class<?>[] part) {
        for (int start = 0; start + part.length <= all.length; start++) {
            if (java.util.Arrays.equals(all, start, start + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "IdempotentMethod[" + name + "]";
    }
}
