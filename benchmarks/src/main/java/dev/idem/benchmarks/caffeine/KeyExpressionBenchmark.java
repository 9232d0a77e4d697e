package dev.idem.benchmarks.caffeine;

import dev.idem.benchmarks.ChargeRequest;
import dev.idem.core.Idempotency;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The compiled key expressions of the default key resolver, evaluated on a call's argument array, beside the same
 * key written in Java.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyExpressionBenchmark {
    private Object[] args;
    private KeyExpression id;
    private KeyExpression tenantAndId;

    /**
     * The method whose parameters the expressions name.
     *
     * @param tenant a tenant
     * @param request a request
     */
    public static void charge(String tenant, ChargeRequest request) {
        // only its signature matters
    }

    /**
     * Compiles both expressions.
     *
     * @throws NoSuchMethodException never
     */
    @Setup
    public void setUp() throws NoSuchMethodException {
        Method method = KeyExpressionBenchmark.class.getMethod("charge", String.class, ChargeRequest.class);
        id = Idempotency.config().keyResolver().compile("#request.id", method);
        tenantAndId = Idempotency.config().keyResolver().compile("#tenant + ':' + #request.id", method);
        args = new Object[] {"acme", new ChargeRequest("order-4711-2026-12-02", 1999, "EUR")};
    }

    /**
     * {@code #request.id}.
     *
     * @return the key
     */
    @Benchmark
    public Object keyId_idem() {
        return id.evaluate(args);
    }

    /**
     * {@code request.getId()} by hand.
     *
     * @return the key
     */
    @Benchmark
    public Object keyId_floor() {
        return ((ChargeRequest) args[1]).getId();
    }

    /**
     * {@code #tenant + ':' + #request.id}.
     *
     * @return the key
     */
    @Benchmark
    public Object keyTenantAndId_idem() {
        return tenantAndId.evaluate(args);
    }

    /**
     * {@code tenant + ':' + request.getId()} by hand.
     *
     * @return the key
     */
    @Benchmark
    public Object keyTenantAndId_floor() {
        return (String) args[0] + ':' + ((ChargeRequest) args[1]).getId();
    }
}
