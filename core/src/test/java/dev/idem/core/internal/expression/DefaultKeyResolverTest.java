package dev.idem.core.internal.expression;

import static dev.idem.core.internal.expression.Samples.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.internal.expression.Samples.Account;
import dev.idem.core.internal.expression.Samples.ChargeRequest;
import dev.idem.core.internal.expression.Samples.Customer;
import dev.idem.core.internal.expression.Samples.Derived;
import dev.idem.core.internal.expression.Samples.Hidden;
import dev.idem.core.internal.expression.Samples.Order;
import dev.idem.core.internal.expression.Samples.Tenant;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DefaultKeyResolverTest {
    private static final UUID REFERENCE = UUID.fromString("6f1c2a3e-8d7b-4c5a-9e0f-123456789abc");
    private static final Customer ALICE = new Customer("c-1", true, "eu");
    private static final ChargeRequest REQUEST = new ChargeRequest("r-42", ALICE, List.of("gold", "new"),
            Map.of("channel", "web"), 1250L, REFERENCE);
    private static final Tenant TENANT = new Tenant("t-9");

    private final DefaultKeyResolver resolver = new DefaultKeyResolver();

    private Object evaluate(String expression, String methodName, Object... args) {
        return resolver.compile(expression, method(methodName)).evaluate(args);
    }

    private Object charge(String expression) {
        return evaluate(expression, "charge", REQUEST, TENANT);
    }

    /** A method declared with a private nested class as its parameter type. */
    private static final class Secret {
        public String getCode() {
            return "s3cr3t";
        }
    }

    private static void secret(Secret secret) {
    }

    @Test
    void parameterByName_yieldsTheArgument() {
        assertThat(charge("#tenant")).isSameAs(TENANT);
    }

    @Test
    void recordAccessor_readsTheComponent() {
        assertThat(charge("#request.id")).isEqualTo("r-42");
    }

    @Test
    void javaBeanGetters_readGetAndIsProperties() {
        assertThat(charge("#request.customer.id")).isEqualTo("c-1");
        assertThat(charge("#request.customer.vip")).isEqualTo(true);
    }

    @Test
    void publicField_isReadWhenThereIsNoGetter() {
        assertThat(charge("#request.customer.region")).isEqualTo("eu");
    }

    @Test
    void zeroArgumentMethod_isCalled() {
        assertThat(charge("#request.customer.label()")).isEqualTo("c-1/eu");
        assertThat(charge("#request.id.length()")).isEqualTo(4);
        assertThat(charge("#request.tags.size()")).isEqualTo(2);
    }

    @Test
    void plainMethodName_readsAsAProperty() {
        assertThat(charge("#request.customer.label")).isEqualTo("c-1/eu");
    }

    @Test
    void singleExpression_returnsTheRawValueUnconverted() {
        assertThat(charge("#request.amount")).isEqualTo(1250L);
        assertThat(charge("#request.reference")).isSameAs(REFERENCE);
    }

    @Test
    void whitespace_isAllowedAroundTokens() {
        assertThat(charge("  #request . customer ?. id  ")).isEqualTo("c-1");
        assertThat(charge("#tenant.id+':'+#request.id")).isEqualTo("t-9:r-42");
        assertThat(charge("#request.tags [ 1 ]")).isEqualTo("new");
        assertThat(charge("#request.customer.label( )")).isEqualTo("c-1/eu");
    }

    @Test
    void positionalParameters_pAndA_countFromZero() {
        assertThat(charge("#p0.id")).isEqualTo("r-42");
        assertThat(charge("#a1.id")).isEqualTo("t-9");
    }

    @Test
    void realParameterNamedLikeAPosition_winsOverThePosition() {
        Method shadowing = method("shadowing"); // (String a1, String p0)
        assertThat(resolver.compile("#p0", shadowing).evaluate(new Object[] {"first", "second"})).isEqualTo("second");
        assertThat(resolver.compile("#a1", shadowing).evaluate(new Object[] {"first", "second"})).isEqualTo("first");
        assertThat(resolver.compile("#a0", shadowing).evaluate(new Object[] {"first", "second"})).isEqualTo("first");
        assertThat(resolver.compile("#p1", shadowing).evaluate(new Object[] {"first", "second"})).isEqualTo("second");
    }

    @Test
    void withoutParameterNames_positionsStillWork() throws Exception {
        Method substring = String.class.getMethod("substring", int.class); // the JDK is not compiled with -parameters
        assertThat(resolver.compile("#p0", substring).evaluate(new Object[] {3})).isEqualTo(3);
    }

    @Test
    void indexes_readListsArraysAndMaps() {
        Map<String, Customer> byName = Map.of("alice", ALICE);
        Map<Integer, String> byNumber = Map.of(7, "seven");
        Object[] args = {List.of("a", "b"), byName, byNumber, new String[] {"x", "y"}, new int[] {4, 5},
                List.of(ALICE), Map.of("team", List.of(ALICE))};
        assertThat(evaluate("#tags[1]", "collections", args)).isEqualTo("b");
        assertThat(evaluate("#names[0]", "collections", args)).isEqualTo("x");
        assertThat(evaluate("#numbers[1]", "collections", args)).isEqualTo(5);
        assertThat(evaluate("#byName['alice'].id", "collections", args)).isEqualTo("c-1");
        assertThat(evaluate("#byName[\"alice\"].region", "collections", args)).isEqualTo("eu");
        assertThat(evaluate("#byNumber[7]", "collections", args)).isEqualTo("seven");
        assertThat(evaluate("#customers[0].vip", "collections", args)).isEqualTo(true);
        assertThat(evaluate("#nested['team'][0].label()", "collections", args)).isEqualTo("c-1/eu");
        assertThat(evaluate("#names.length", "collections", args)).isEqualTo(2);
    }

    @Test
    void indexes_onObjectTypedValues_resolveAtRunTime() {
        assertThat(evaluate("#value[1]", "any", (Object) new String[] {"x", "y"})).isEqualTo("y");
        assertThat(evaluate("#value[0]", "any", List.of("only"))).isEqualTo("only");
        assertThat(evaluate("#value['k']", "any", Map.of("k", "v"))).isEqualTo("v");
        assertThat(evaluate("#value[2]", "any", (Object) new long[] {1, 2, 3})).isEqualTo(3L);
    }

    @Test
    void mapIntegerIndex_looksUpAnIntegerKey() {
        Map<Object, String> map = new HashMap<>();
        map.put(1, "integer");
        map.put("1", "string");
        assertThat(evaluate("#value[1]", "any", map)).isEqualTo("integer");
        assertThat(evaluate("#value['1']", "any", map)).isEqualTo("string");
    }

    @Test
    void missingIndexOrKey_readsAsNullInsteadOfThrowing() {
        assertThat(evaluate("#value[5]", "any", List.of("a"))).isNull();
        assertThat(evaluate("#value[5]", "any", (Object) new int[] {1})).isNull();
        assertThat(evaluate("#value['nope']", "any", Map.of("k", "v"))).isNull();
    }

    @Test
    void nullSafeNavigation_yieldsNullInsteadOfThrowing() {
        assertThat(evaluate("#request?.customer?.id", "charge", null, TENANT)).isNull();
        ChargeRequest anonymous = new ChargeRequest("r-1", null, List.of(), Map.of(), 0, null);
        assertThat(evaluate("#request.customer?.id", "charge", anonymous, TENANT)).isNull();
        assertThat(evaluate("#value?.[0]", "any", (Object) null)).isNull();
    }

    @Test
    void nullSafeNavigation_shortCircuitsTheWholeChain() {
        assertThat(evaluate("#request?.customer.id.length()", "charge", null, TENANT)).isNull();
    }

    @Test
    void nullSafeNavigation_passesNonNullValuesThrough() {
        assertThat(charge("#request?.customer?.id")).isEqualTo("c-1");
    }

    @Test
    void concatenation_joinsPartsAsAString() {
        assertThat(charge("#tenant.id + ':' + #request.id")).isEqualTo("t-9:r-42");
        assertThat(charge("'charge:' + #request.customer.id + '/' + #request.tags[0]")).isEqualTo("charge:c-1/gold");
    }

    @Test
    void concatenation_convertsNonStringPartsByTheirCanonicalText() {
        assertThat(charge("#request.id + ':' + #request.amount")).isEqualTo("r-42:1250");
        assertThat(charge("#request.customer.vip + '-' + #request.id.length()")).isEqualTo("true-4");
        assertThat(charge("'ref:' + #request.reference")).isEqualTo("ref:" + REFERENCE);
        assertThat(evaluate("#count + #count", "scalars", 2, null, null, false)).isEqualTo("22");
    }

    @Test
    void concatenation_ofAnyNumberOfParts_andLiteralsWithAnyCharacter() {
        // 0 to 4 evaluated parts go through one exact-size concatenation, more through String.join: same strings
        assertThat(charge("'a' + 'b'")).isEqualTo("ab");
        assertThat(charge("'{' + #request.id + '}'")).isEqualTo("{r-42}");
        assertThat(charge("#request.id + #tenant.id + #request.customer.id + #request.amount"))
                .isEqualTo("r-42t-9c-11250");
        assertThat(charge("#request.id + ':' + #tenant.id + ':' + #request.customer.id + ':' + #request.amount + ':'"
                + " + #request.tags[1]")).isEqualTo("r-42:t-9:c-1:1250:new");
        // the concatenation recipe's own tag characters, braces, colons, percent signs: all verbatim
        assertThat(charge("'\u0001' + #request.id + '\u0002{}:%s' + #tenant.id")).isEqualTo("\u0001r-42\u0002{}:%st-9");
    }

    @Test
    void stringLiterals_unescapeDoubledQuotes() {
        assertThat(charge("'it''s ' + #request.id")).isEqualTo("it's r-42");
        assertThat(charge("\"say \"\"hi\"\"\" + ''''")).isEqualTo("say \"hi\"'");
        assertThat(charge("''")).isEqualTo("");
    }

    @Test
    void loneLiteral_isAConstantKey() {
        assertThat(evaluate("'global'", "none")).isEqualTo("global");
    }

    @Test
    void interfaceTypedParameter_resolvesAgainstEachRuntimeClass() {
        KeyExpression key = resolver.compile("#item.id", method("identified"));
        assertThat(key.evaluate(new Object[] {new Account("a-1")})).isEqualTo("a-1");
        assertThat(key.evaluate(new Object[] {new Order()})).isEqualTo("order-7");
        assertThat(key.evaluate(new Object[] {new Account("a-2")})).isEqualTo("a-2");
    }

    @Test
    void objectTypedParameter_resolvesAgainstEachRuntimeClass() {
        KeyExpression key = resolver.compile("#value.id", method("any"));
        assertThat(key.evaluate(new Object[] {new Account("a-1")})).isEqualTo("a-1");
        assertThat(key.evaluate(new Object[] {ALICE})).isEqualTo("c-1");
        assertThat(key.evaluate(new Object[] {new Hidden("h-1")})).isEqualTo("h-1");
        assertThat(key.evaluate(new Object[] {new Account("a-3")})).isEqualTo("a-3");
    }

    @Test
    void objectTypedParameter_reachesPublicMethodsOfPrivateJdkClasses() {
        KeyExpression size = resolver.compile("#value.size()", method("any"));
        assertThat(size.evaluate(new Object[] {List.of(1, 2, 3)})).isEqualTo(3); // ImmutableCollections.ListN
        assertThat(size.evaluate(new Object[] {Map.of("k", "v")})).isEqualTo(1);
        assertThat(size.evaluate(new Object[] {new HashMap<>()})).isEqualTo(0);
    }

    @Test
    void nonFinalParameterType_resolvesMembersOfSubclassesAtRunTime() {
        assertThat(evaluate("#base.extra", "base", new Derived())).isEqualTo("extra");
    }

    @Test
    void runtimeClassWithoutTheMember_failsThatEvaluation() {
        KeyExpression key = resolver.compile("#value.id", method("any"));
        assertThatThrownBy(() -> key.evaluate(new Object[] {42}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown property 'id' on java.lang.Integer at column 8 of '#value.id'");
        assertThatThrownBy(() -> resolver.compile("#value[0]", method("any")).evaluate(new Object[] {"text"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot index into java.lang.String (only arrays, lists and maps) at column 8 of "
                        + "'#value[0]'");
    }

    @Test
    void packagePrivateRecord_isReadable() {
        assertThat(evaluate("#hidden.id", "hidden", new Hidden("h-7"))).isEqualTo("h-7");
    }

    @Test
    void privateNestedClass_isReadable() throws Exception {
        Method secret = DefaultKeyResolverTest.class.getDeclaredMethod("secret", Secret.class);
        assertThat(resolver.compile("#secret.code", secret).evaluate(new Object[] {new Secret()})).isEqualTo("s3cr3t");
    }

    @Test
    void exceptionFromAGetter_propagatesUnchanged() {
        assertThatThrownBy(() -> charge("#request.customer.broken"))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk on fire");
        assertThatThrownBy(() -> evaluate("#value.broken", "any", ALICE)).isExactlyInstanceOf(IOException.class);
    }

    @Test
    void toString_isTheSourceText() {
        assertThat(resolver.compile("#request.id", method("charge"))).hasToString("#request.id");
        assertThat(resolver.compile("#tenant.id + ':' + #request.id", method("charge")))
                .hasToString("#tenant.id + ':' + #request.id");
        assertThat(resolver.compile("'x'", method("charge"))).hasToString("'x'");
    }

    @Test
    void compiledExpression_isSafeForConcurrentUse() throws Exception {
        KeyExpression key = resolver.compile("#value.id + ':' + #value?.id", method("any"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int task = 0; task < 8; task++) {
                int seed = task;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Object value = (i + seed) % 2 == 0 ? new Account("a" + i) : new Order();
                        String expected = value instanceof Account account ? account.id() : "order-7";
                        if (!key.evaluate(new Object[] {value}).equals(expected + ":" + expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
