package dev.idem.core.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.event.IdempotencyEvent.Type;
import dev.idem.core.internal.expression.DefaultKeyResolver;
import dev.idem.core.spi.KeyResolver;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.ResultTypeSupport;
import dev.idem.core.testing.InMemoryStore;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Idempotent(unless = ...)}: a result that says "not processed" releases the claim instead of being recorded,
 * so a corrected retry with the same key runs again; and a framework's {@link ResultTypeSupport} (here a test one,
 * declared in this module's test resources) gives a result type a default condition and a codec module.
 */
class UnlessTest {

    /** A result that can say "not processed". */
    public record Answer(boolean hasErrors, String value, Detail detail) {
        public Answer(boolean hasErrors, String value) {
            this(hasErrors, value, null);
        }
    }

    /** A nested part, possibly null. */
    public record Detail(boolean retry) {
    }

    /** A result type with a framework default: refused verdicts are not recorded. */
    public record Verdict(boolean accepted) {
    }

    /** A result type Jackson cannot construct by itself (no creator, final field): the test module encodes it. */
    public static final class Opaque {
        private final String text;

        Opaque(String text) {
            this.text = text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && other.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    /** The support declared in META-INF/services of the tests. */
    public static final class TestResultTypeSupport implements ResultTypeSupport {
        @Override
        public com.fasterxml.jackson.databind.Module codecModule() {
            SimpleModule module = new SimpleModule("idem-test-opaque");
            module.addSerializer(Opaque.class, new JsonSerializer<>() {
                @Override
                public void serialize(Opaque value, JsonGenerator gen, SerializerProvider serializers)
                        throws IOException {
                    gen.writeString(value.text);
                }
            });
            module.addDeserializer(Opaque.class, new JsonDeserializer<>() {
                @Override
                public Opaque deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                    return new Opaque(p.getValueAsString());
                }
            });
            return module;
        }

        @Override
        public Predicate<Object> defaultUnless(Class<?> resultType) {
            return Verdict.class.isAssignableFrom(resultType) ? v -> !((Verdict) v).accepted() : null;
        }
    }

    static class Forms {
        @Idempotent(key = "#id", unless = "#result.hasErrors()")
        public Answer submit(String id, boolean errors) {
            return new Answer(errors, "v");
        }

        @Idempotent(key = "#id", unless = "#result.hasErrors")
        public Answer property(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "#result.detail.retry")
        public Answer nullOnThePath(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "#result.value")
        public Answer notABoolean(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "#id")
        public Answer readsAParameter(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "#result.nope()")
        public Answer unknownMember(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "true")
        public Answer never(String id) {
            return null;
        }

        @Idempotent(key = "#id")
        public Verdict verdict(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "false")
        public Verdict verdictAlwaysRecorded(String id) {
            return null;
        }

        @Idempotent(key = "#id", unless = "#result.hasErrors()")
        public CompletionStage<Answer> async(String id) {
            return null;
        }

        @Idempotent(key = "#id")
        public Opaque opaque(String id) {
            return null;
        }
    }

    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private InMemoryStore configure(InMemoryStore store) {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).listener(events::add).build());
        return store;
    }

    private static IdempotentMethod method(String name) {
        for (Method m : Forms.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return IdempotentMethod.of(m);
            }
        }
        throw new AssertionError(name);
    }

    private Object call(IdempotentMethod method, String key, Object value) throws Throwable {
        return method.invoke(new Object[] {key}, () -> {
            runs.incrementAndGet();
            return value;
        });
    }

    private List<Type> types() {
        return events.stream().map(IdempotencyEvent::type).toList();
    }

    @Test
    void aResultThatSaysNotProcessed_isNotRecorded_soTheCorrectedRetryRuns() throws Throwable {
        InMemoryStore store = configure(InMemoryStore.encoding());
        IdempotentMethod submit = method("submit");
        Answer invalid = new Answer(true, "form with errors");
        Answer valid = new Answer(false, "done");

        assertThat(submit.invoke(new Object[] {"k", true}, () -> {
            runs.incrementAndGet();
            return invalid;
        })).isEqualTo(invalid);
        assertThat(store.completions()).isZero();
        assertThat(events).extracting(IdempotencyEvent::type, IdempotencyEvent::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Type.RELEASED, "unless"));

        assertThat(submit.invoke(new Object[] {"k", false}, () -> {
            runs.incrementAndGet();
            return valid;
        })).isEqualTo(valid);
        assertThat(submit.invoke(new Object[] {"k", false}, () -> {
            runs.incrementAndGet();
            return new Answer(false, "twice?");
        })).isEqualTo(valid);
        assertThat(runs).hasValue(2);
        assertThat(types()).containsExactly(Type.RELEASED, Type.EXECUTED, Type.REPLAYED);
    }

    @Test
    void aPropertyOfTheResult_works_asAMethodDoes() throws Throwable {
        configure(InMemoryStore.keepingObjects());
        IdempotentMethod property = method("property");
        call(property, "k", new Answer(true, "x"));
        call(property, "k", new Answer(false, "y"));
        call(property, "k", new Answer(false, "z"));
        assertThat(runs).hasValue(2);
    }

    @Test
    void aNullOnThePath_recordsTheResult() throws Throwable {
        configure(InMemoryStore.keepingObjects());
        IdempotentMethod m = method("nullOnThePath");
        Answer noDetail = new Answer(false, "x");
        assertThat(call(m, "k", noDetail)).isEqualTo(noDetail);
        assertThat(call(m, "k", new Answer(false, "y"))).isEqualTo(noDetail);
        assertThat(call(m, "j", null)).isNull(); // a null result: the path is null, recorded
        assertThat(call(m, "j", new Answer(false, "z"))).isNull();
        assertThat(runs).hasValue(2);
    }

    @Test
    void aConditionThatIsNotABoolean_releases_andTheCallerStillGetsItsResult() throws Throwable {
        configure(InMemoryStore.keepingObjects());
        IdempotentMethod m = method("notABoolean");
        Answer a = new Answer(false, "text");
        assertThat(call(m, "k", a)).isEqualTo(a);
        assertThat(events).extracting(IdempotencyEvent::type).containsExactly(Type.RELEASED);
        assertThat(events.get(0).detail()).startsWith("unless failed: ").contains("not a Boolean")
                .contains("java.lang.String");
        call(m, "k", a);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aConditionThatReadsAParameterOrAnUnknownMember_isAConfigurationError() {
        configure(InMemoryStore.keepingObjects());
        assertThatThrownBy(() -> call(method("readsAParameter"), "k", null))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("@Idempotent(unless = \"#id\")")
                .hasMessageContaining("reads only #result");
        assertThatThrownBy(() -> call(method("unknownMember"), "k", null))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("@Idempotent(unless = \"#result.nope()\")")
                .hasMessageContaining("nope");
        assertThat(runs).hasValue(0);
    }

    @Test
    void true_recordsNothing() throws Throwable {
        configure(InMemoryStore.keepingObjects());
        IdempotentMethod m = method("never");
        call(m, "k", new Answer(false, "x"));
        call(m, "k", new Answer(false, "x"));
        assertThat(runs).hasValue(2);
        assertThat(types()).containsExactly(Type.RELEASED, Type.RELEASED);
    }

    @Test
    void aResultTypesDefault_appliesWithoutUnless_andFalseTurnsItOff() throws Throwable {
        configure(InMemoryStore.keepingObjects());
        IdempotentMethod verdict = method("verdict");
        call(verdict, "k", new Verdict(false));
        call(verdict, "k", new Verdict(true));
        call(verdict, "k", new Verdict(false));
        assertThat(runs).hasValue(2);

        IdempotentMethod always = method("verdictAlwaysRecorded");
        call(always, "k", new Verdict(false));
        call(always, "k", new Verdict(true));
        assertThat(runs).hasValue(3);
    }

    @Test
    void anAsynchronousMethod_isJudgedOnItsStagesValue() throws Throwable {
        configure(InMemoryStore.encoding());
        IdempotentMethod m = method("async");
        CompletableFuture<Answer> first = new CompletableFuture<>();
        Object stage = call(m, "k", first);
        first.complete(new Answer(true, "errors"));
        assertThat(((CompletionStage<?>) stage).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(new Answer(true, "errors"));
        Object again = call(m, "k", CompletableFuture.completedFuture(new Answer(false, "ok")));
        assertThat(((CompletionStage<?>) again).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(new Answer(false, "ok"));
        Object replay = call(m, "k", CompletableFuture.completedFuture(new Answer(false, "third")));
        assertThat(((CompletionStage<?>) replay).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(new Answer(false, "ok"));
        assertThat(runs).hasValue(2);
    }

    @Test
    void aResultTypesCodecModule_letsAnEncodingStoreRecordAndReplayIt() throws Throwable {
        InMemoryStore store = configure(InMemoryStore.encoding());
        IdempotentMethod m = method("opaque");
        assertThat(call(m, "k", new Opaque("a"))).isEqualTo(new Opaque("a"));
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.ENCODED_VALUE);
        assertThat(call(m, "k", new Opaque("b"))).isEqualTo(new Opaque("a"));
        assertThat(runs).hasValue(1);
    }

    @Test
    void theProgrammaticApi_takesAConditionToo() {
        configure(InMemoryStore.encoding());
        dev.idem.core.IdempotentOperation<Answer> op = Idempotency.operation("forms", Answer.class)
                .unless(Answer::hasErrors).build();
        assertThat(op.execute("k", "p", () -> new Answer(true, "errors")).value()).isEqualTo("errors");
        assertThat(op.execute("k", "p", () -> new Answer(false, "ok")).value()).isEqualTo("ok");
        assertThat(op.execute("k", "p", () -> new Answer(false, "again")).value()).isEqualTo("ok");
        assertThat(types()).containsExactly(Type.RELEASED, Type.EXECUTED, Type.REPLAYED);
    }

    @Test
    void aKeyResolverWithoutConditions_isAClearConfigurationError() {
        KeyResolver keysOnly = new KeyResolver() {
            private final KeyResolver delegate = new DefaultKeyResolver();

            @Override
            public KeyExpression compile(String expression, Method method) {
                return delegate.compile(expression, method);
            }
        };
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects())
                .keyResolver(keysOnly).build());
        assertThatThrownBy(() -> call(method("submit"), "k", null))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("@Idempotent(unless = \"#result.hasErrors()\")")
                .hasMessageContaining("KeyResolver#compileCondition");
    }
}
