package dev.idem.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Knows which values are deeply immutable with a value-based {@code equals}: for those, {@code a.equals(b)} implies
 * that {@code a} and {@code b} have the same canonical form, and a kept reference cannot change later.
 */
public final class Values {
    private static final Set<Class<?>> VALUE_TYPES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, Instant.class, LocalDate.class, LocalDateTime.class, LocalTime.class,
            OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Duration.class, Period.class, Year.class,
            YearMonth.class, MonthDay.class, Currency.class, Locale.class);

    private static final MethodHandle[] NOT_A_RECORD = new MethodHandle[0];

    /**
     * Per class: null if a leaf value type, getters of the component fields of a record, {@link #NOT_A_RECORD}
     * otherwise.
     *
     * <p>The record's private fields, not its accessors: the canonical form reads fields, and an accessor may
     * compute, mask or normalize ({@code String card() { return "****"; }}), so comparing accessors would call two
     * payloads with different canonical forms equal, and the local store would replay another payload's outcome.
     */
    private static final ClassValue<MethodHandle[]> KIND = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            if (VALUE_TYPES.contains(type) || type.isEnum() || ZoneId.class.isAssignableFrom(type)
                    || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
                return null;
            }
            if (type.isRecord()) {
                RecordComponent[] components = type.getRecordComponents();
                MethodHandle[] fields = new MethodHandle[components.length];
                try {
                    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                    for (int i = 0; i < components.length; i++) {
                        // A record's component field has the component's name and type (JLS 8.10.3).
                        fields[i] = lookup.findGetter(type, components[i].getName(), components[i].getType());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return NOT_A_RECORD; // inaccessible: treat as opaque, the canonical hash still decides
                }
                return fields;
            }
            return NOT_A_RECORD;
        }
    };

    private Values() {
    }

    /**
     * Whether a value is deeply immutable with a value-based {@code equals}: null, strings, boxed primitives,
     * big numbers, UUIDs, enums, java.time values, and records whose components are all such values; an
     * {@code Object[]} whose elements all are. Collections, arrays of primitives and other classes are not.
     *
     * @param value the value
     * @return true if it is
     */
    public static boolean isDeeplyImmutable(Object value) {
        return isDeeplyImmutable(value, 0);
    }

    /**
     * Compares a deeply immutable value with a candidate by value: leaf value types with their own {@code equals}
     * (and the same class), records component by component as their fields hold them (never with a record's own
     * {@code equals}, which may compare less than its state, nor with its accessors, which may not return it), the
     * top-level {@code Object[]} element by element. Agrees with {@link Canonical}: true implies the same canonical
     * form, which is why each JDK value type listed here has an {@code equals} at least as strict as its canonical
     * form ({@code Double.equals} tells {@code -0.0} from {@code 0.0}, as the form does, and finds {@code NaN} equal
     * to itself, as the form does).
     *
     * @param recorded a value for which {@link #isDeeplyImmutable(Object)} is true
     * @param candidate any value
     * @return true only if both have the same canonical form
     */
    public static boolean valueEquals(Object recorded, Object candidate) {
        return valueEquals(recorded, candidate, 0);
    }

    private static boolean valueEquals(Object recorded, Object candidate, int depth) {
        if (recorded == null || candidate == null) {
            return recorded == candidate;
        }
        if (recorded instanceof Object[] a) {
            if (depth > 0 || !(candidate instanceof Object[] b) || a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (!valueEquals(a[i], b[i], depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (recorded.getClass() != candidate.getClass() || depth > 16) {
            return false;
        }
        MethodHandle[] fields = KIND.get(recorded.getClass());
        if (fields == null) {
            return recorded.equals(candidate); // a JDK value type: its equals is by value
        }
        if (fields == NOT_A_RECORD) {
            return false;
        }
        for (MethodHandle field : fields) {
            try {
                if (!valueEquals(field.invoke(recorded), field.invoke(candidate), depth + 1)) {
                    return false;
                }
            } catch (Throwable e) {
                return false;
            }
        }
        return true;
    }

    /** Whether a class is one of the JDK value types (or an enum) compared with its own {@code equals}. */
    static boolean isLeafType(Class<?> type) {
        return KIND.get(type) == null;
    }

    private static boolean isDeeplyImmutable(Object value, int depth) {
        if (value == null) {
            return true;
        }
        if (depth > 16) {
            return false;
        }
        if (value instanceof Object[] array) {
            if (depth > 0) {
                return false; // a nested array is mutable; only the top-level argument array is copied
            }
            for (Object element : array) {
                if (!isDeeplyImmutable(element, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        MethodHandle[] fields = KIND.get(value.getClass());
        if (fields == null) {
            return true;
        }
        if (fields == NOT_A_RECORD) {
            return false;
        }
        for (MethodHandle field : fields) {
            Object component;
            try {
                component = field.invoke(value);
            } catch (Throwable e) {
                return false;
            }
            if (!isDeeplyImmutable(component, depth + 1)) {
                return false;
            }
        }
        return true;
    }
}
