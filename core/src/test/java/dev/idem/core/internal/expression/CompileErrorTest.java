package dev.idem.core.internal.expression;

import static dev.idem.core.internal.expression.Samples.method;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed or unresolvable expression fails at compile time, naming what is wrong and the column. */
class CompileErrorTest {
    private static final String REQUEST = "dev.idem.core.internal.expression.Samples$ChargeRequest";
    private static final String CUSTOMER = "dev.idem.core.internal.expression.Samples$Customer";

    private final DefaultKeyResolver resolver = new DefaultKeyResolver();

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("", "empty expression at column 1 of ''"),
                Arguments.of("   ", "empty expression at column 4 of '   '"),
                Arguments.of("#a.b%c", "unexpected character '%' at column 5 of '#a.b%c'"),
                Arguments.of("#request.id - 1", "unexpected character '-' at column 13 of '#request.id - 1'"),
                Arguments.of("#request ? 'x'",
                        "unexpected character '?' (only '?.' is supported) at column 10 of '#request ? 'x''"),
                Arguments.of("'abc", "unterminated string literal at column 1 of ''abc'"),
                Arguments.of("#request.id + 'it''s",
                        "unterminated string literal at column 15 of '#request.id + 'it''s'"),
                Arguments.of("# request", "expected a parameter name after '#' at column 1 of '# request'"),
                Arguments.of("request.id",
                        "expected '#parameter' or a string literal but found 'request' at column 1 of 'request.id'"),
                Arguments.of("#request.id x",
                        "expected '+' or end of expression but found 'x' at column 13 of '#request.id x'"),
                Arguments.of("#request.id +",
                        "expected '#parameter' or a string literal but found end of expression at column 14 of "
                                + "'#request.id +'"),
                Arguments.of("#request.",
                        "expected a property or method name but found end of expression at column 10 of '#request.'"),
                Arguments.of("#request.[0]",
                        "expected a property or method name but found '[' at column 10 of '#request.[0]'"),
                Arguments.of("#request.id.substring(1)",
                        "method arguments are not supported, only zero-argument methods such as 'substring()' at "
                                + "column 23 of '#request.id.substring(1)'"),
                Arguments.of("#request.customer.label(",
                        "expected ')' but found end of expression at column 25 of '#request.customer.label('"),
                Arguments.of("#request.tags[0",
                        "expected ']' but found end of expression at column 16 of '#request.tags[0'"),
                Arguments.of("#request.tags[#p0]",
                        "expected an integer index or a quoted map key but found '#p0' at column 15 of "
                                + "'#request.tags[#p0]'"),
                Arguments.of("#request.tags[-1]",
                        "unexpected character '-' at column 15 of '#request.tags[-1]'"),
                Arguments.of("#request.tags[99999999999]",
                        "index 99999999999 is too large at column 15 of '#request.tags[99999999999]'"),
                Arguments.of("#request.id + 42",
                        "expected '#parameter' or a string literal but found '42' at column 15 of '#request.id + 42'"));
    }

    static Stream<Arguments> resolutionErrors() {
        return Stream.of(
                Arguments.of("#reqest.id",
                        "no parameter named 'reqest' (parameters: request, tenant) at column 1 of '#reqest.id'"),
                Arguments.of("'k:' + #tenant.id + #tennant",
                        "no parameter named 'tennant' (parameters: request, tenant) at column 21 of "
                                + "''k:' + #tenant.id + #tennant'"),
                Arguments.of("#p2",
                        "parameter index 2 is out of range (the method has 2 parameters) at column 1 of '#p2'"),
                Arguments.of("#a12345678901",
                        "parameter index 12345678901 is out of range (the method has 2 parameters) at column 1 of "
                                + "'#a12345678901'"),
                Arguments.of("#request.idd",
                        "unknown property 'idd' on " + REQUEST + " at column 10 of '#request.idd'"),
                Arguments.of("#request.customer.name",
                        "unknown property 'name' on " + CUSTOMER + " at column 19 of '#request.customer.name'"),
                Arguments.of("#request.customer.nickname()",
                        "unknown method 'nickname()' on " + CUSTOMER + " at column 19 of "
                                + "'#request.customer.nickname()'"),
                Arguments.of("#request.customer.greet()",
                        "method 'greet' on " + CUSTOMER + " takes arguments; only zero-argument methods are supported"
                                + " at column 19 of '#request.customer.greet()'"),
                Arguments.of("#request.id.foo",
                        "unknown property 'foo' on java.lang.String at column 13 of '#request.id.foo'"),
                Arguments.of("#request.amount.value",
                        "unknown property 'value' on long at column 17 of '#request.amount.value'"),
                Arguments.of("#request.id[0]",
                        "cannot index into java.lang.String (only arrays, lists and maps) at column 13 of "
                                + "'#request.id[0]'"),
                Arguments.of("#request.tags['k']",
                        "a quoted key needs a map, but java.util.List takes an integer index at column 15 of "
                                + "'#request.tags['k']'"));
    }

    @ParameterizedTest(name = "[{index}] <{0}>")
    @MethodSource({"syntaxErrors", "resolutionErrors"})
    void invalidExpression_failsAtCompileTimeWithItsColumn(String expression, String message) {
        assertThatThrownBy(() -> resolver.compile(expression, method("charge")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] <{0}>")
    @MethodSource("syntaxErrors")
    void syntaxError_isReportedBeforeAnyResolution(String expression, String message) {
        assertThatThrownBy(() -> resolver.compile(expression, method("none")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void nameWithoutParameterNames_failsSayingToCompileWithParameters() throws Exception {
        Method substring = String.class.getMethod("substring", int.class); // the JDK is not compiled with -parameters
        assertThatThrownBy(() -> resolver.compile("#beginIndex", substring))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parameter named 'beginIndex': parameter names are not available; compile with "
                        + "-parameters or use #p0, #p1, ... at column 1 of '#beginIndex'");
    }

    @Test
    void parameterOfAMethodWithoutParameters_failsSayingSo() {
        assertThatThrownBy(() -> resolver.compile("#id", method("none")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parameter named 'id' (the method has no parameters) at column 1 of '#id'");
    }

    @Test
    void arrayWithoutTheMember_failsAtCompileTime() {
        assertThatThrownBy(() -> resolver.compile("#names.size", method("collections")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown property 'size' on java.lang.String[] at column 8 of '#names.size'");
    }
}
