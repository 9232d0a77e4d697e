package dev.idem.core.internal.expression;

import static dev.idem.core.internal.expression.Samples.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.idem.core.internal.expression.Samples.ChargeRequest;
import dev.idem.core.internal.expression.Samples.Tenant;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NullSegmentTest {
    private static final Tenant TENANT = new Tenant("t-9");
    private static final ChargeRequest NO_CUSTOMER = new ChargeRequest(null, null, List.of("a"), Map.of(), 0, null);

    private final DefaultKeyResolver resolver = new DefaultKeyResolver();

    private NullSegmentException nullSegment(String expression, String methodName, Object... args) {
        NullSegmentException thrown = catchThrowableOfType(
                NullSegmentException.class, () -> resolver.compile(expression, method(methodName)).evaluate(args));
        assertThat(thrown).as("evaluating %s", expression).isNotNull();
        return thrown;
    }

    @Test
    void nullIntermediate_namesTheNullReceiver() {
        NullSegmentException thrown = nullSegment("#request.customer.id", "charge", NO_CUSTOMER, TENANT);
        assertThat(thrown.segment()).isEqualTo("#request.customer");
        assertThat(thrown).hasMessage("#request.customer is null");
    }

    @Test
    void nullParameter_namesTheParameter() {
        assertThat(nullSegment("#request.customer.id", "charge", null, TENANT).segment()).isEqualTo("#request");
        assertThat(nullSegment("#p0.id", "charge", null, TENANT).segment()).isEqualTo("#p0");
    }

    @Test
    void nullBeforeAnIndex_namesTheReceiver() {
        assertThat(nullSegment("#tags[0]", "collections", null, null, null, null, null, null, null).segment())
                .isEqualTo("#tags");
    }

    @Test
    void nullAfterANullSafeStep_isStillAFailureOfTheNextPlainStep() {
        assertThat(nullSegment("#request?.customer.id", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request?.customer");
    }

    @Test
    void indexOutOfBounds_isANullSegmentNamingTheIndex() {
        assertThat(nullSegment("#request.tags[3].length()", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request.tags[3]");
    }

    @Test
    void missingMapKey_isANullSegmentNamingTheKey() {
        Object[] args = {null, Map.of(), null, null, null, null, Map.of()};
        assertThat(nullSegment("#byName['bob'].id", "collections", args).segment()).isEqualTo("#byName['bob']");
        assertThat(nullSegment("#nested['team'][0]", "collections", args).segment()).isEqualTo("#nested['team']");
    }

    @Test
    void segment_keepsTheSourceTextAsWritten() {
        assertThat(nullSegment("#request . customer . id", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request . customer");
    }

    @Test
    void nullPartOfAConcatenation_namesThatPart() {
        assertThat(nullSegment("#tenant.id + ':' + #request.id", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request.id");
        assertThat(nullSegment("'k:' + #tenant", "charge", NO_CUSTOMER, null).segment()).isEqualTo("#tenant");
    }

    @Test
    void nullSafePartOfAConcatenation_isStillANullPart() {
        assertThat(nullSegment("#tenant.id + ':' + #request?.customer?.id", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request?.customer?.id");
        assertThat(nullSegment("#request?.id + '-'", "charge", null, TENANT).segment()).isEqualTo("#request?.id");
    }

    @Test
    void nullInsideAConcatenationPart_namesTheReceiverNotThePart() {
        assertThat(nullSegment("'x' + #request.customer.id", "charge", NO_CUSTOMER, TENANT).segment())
                .isEqualTo("#request.customer");
    }

    @Test
    void loneExpressionEndingInNull_returnsNull() {
        assertThat(resolver.compile("#request.customer", method("charge")).evaluate(new Object[] {NO_CUSTOMER, TENANT}))
                .isNull();
        assertThat(resolver.compile("#request?.customer", method("charge")).evaluate(new Object[] {null, TENANT}))
                .isNull();
    }

    @Test
    void nullSegment_hasNoStackTrace() {
        NullSegmentException thrown = nullSegment("#request.customer.id", "charge", NO_CUSTOMER, TENANT);
        assertThat(thrown.getStackTrace()).isEmpty();
    }
}
