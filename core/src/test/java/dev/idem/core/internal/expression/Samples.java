package dev.idem.core.internal.expression;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Types and methods that key expressions are compiled against in these tests. */
final class Samples {
    private Samples() {
    }

    /** A public record, the usual shape of a request. */
    public record ChargeRequest(String id, Customer customer, List<String> tags, Map<String, String> metadata,
            long amount, UUID reference) {
    }

    /** A JavaBean with a getter, an {@code is} getter, a public field and a plain method. */
    public static final class Customer {
        public final String region;
        private final String id;
        private final boolean vip;

        public Customer(String id, boolean vip, String region) {
            this.id = id;
            this.vip = vip;
            this.region = region;
        }

        public String getId() {
            return id;
        }

        public boolean isVip() {
            return vip;
        }

        public String label() {
            return id + "/" + region;
        }

        public String greet(String name) {
            return "hello " + name;
        }

        public String getBroken() throws IOException {
            throw new IOException("disk on fire");
        }
    }

    public record Tenant(String id) {
    }

    /** A package-private record: its accessors are public, the class is not. */
    record Hidden(String id) {
    }

    /** Nothing here has an {@code id}; the classes behind it do. */
    interface Identified {
    }

    record Account(String id) implements Identified {
    }

    static final class Order implements Identified {
        public String getId() {
            return "order-7";
        }
    }

    /** Not final: a subclass may have what it lacks. */
    static class Base {
    }

    static class Derived extends Base {
        public String getExtra() {
            return "extra";
        }
    }

    static String charge(ChargeRequest request, Tenant tenant) {
        return "receipt";
    }

    static void any(Object value) {
    }

    static void identified(Identified item) {
    }

    static void base(Base base) {
    }

    static void hidden(Hidden hidden) {
    }

    static void collections(List<String> tags, Map<String, Customer> byName, Map<Integer, String> byNumber,
            String[] names, int[] numbers, List<Customer> customers, Map<String, List<Customer>> nested) {
    }

    static void scalars(int count, UUID id, String text, boolean flag) {
    }

    /** Parameters named like SpEL's positional variables. */
    static void shadowing(String a1, String p0) {
    }

    static void none() {
    }

    static Method method(String name) {
        return Arrays.stream(Samples.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
