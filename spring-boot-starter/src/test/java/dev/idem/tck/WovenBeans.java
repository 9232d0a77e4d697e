package dev.idem.tck;

/** Hands the starter's tests an instance of a class that ajc wove at compile time ({@link WovenPayments}). */
public final class WovenBeans {
    private WovenBeans() {
    }

    /**
     * A new woven object with {@code @Idempotent} methods.
     *
     * @return the object
     */
    public static Object wovenPayments() {
        return new WovenPayments(new Body());
    }
}
