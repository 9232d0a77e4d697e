package dev.idem.aspect;

import dev.idem.annotation.Idempotent;
import dev.idem.core.weaving.IdempotentMethod;
import dev.idem.core.weaving.Invocation;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Weaves {@link Idempotent} methods: around each execution, hands the arguments and the body to
 * {@link IdempotentMethod#invoke}, where all the behaviour lives. This aspect only adapts a join point.
 *
 * <p>Works with compile-time weaving (list {@code idem-aspect} as an aspect library of the AspectJ Maven plugin) and
 * load-time weaving (the weaver agent reads this jar's {@code META-INF/aop.xml}). Spring AOP uses
 * {@code dev.idem.spring.IdempotentSpringAspect} instead. The handler of each join point is looked up once and then
 * found by identity.
 *
 * <h2>Why AspectJ's own syntax, and one advice per number of parameters</h2>
 * An advice that asks for the join point object ({@code thisJoinPoint}, or annotation style's
 * {@code ProceedingJoinPoint}) makes AspectJ build one on every call, and AspectJ's join point creates a
 * {@code ThreadLocal} in its constructor, which takes a number from a counter shared by every thread of the JVM: on a
 * replay that was about a quarter of idem's time and half its allocation. The advice below binds the arguments with
 * {@code args(..)} instead, one advice per number of parameters up to six, and names the site by
 * {@code thisJoinPointStaticPart}, which AspectJ makes once per method; only a method with more parameters gets the
 * join point object. Primitive arguments arrive boxed, as the join point would give them.
 *
 * <p>Checked exceptions: the engine rethrows what the body throws, unchanged. A method may only throw what it
 * declares, and so only that can come out of the body; the engine's own exceptions are unchecked.
 */
public aspect IdempotentAspect {
    private static final Object[] NO_ARGUMENTS = {};

    private final ConcurrentHashMap<JoinPoint.StaticPart, IdempotentMethod> methods = new ConcurrentHashMap<>();

    /** The execution of an {@code @Idempotent} method. */
    pointcut idempotent(): execution(@dev.idem.annotation.Idempotent * *(..));

    Object around(): idempotent() && execution(* *()) {
        return run(thisJoinPointStaticPart, NO_ARGUMENTS, () -> proceed());
    }

    Object around(Object a): idempotent() && execution(* *(*)) && args(a) {
        return run(thisJoinPointStaticPart, new Object[] {a}, () -> proceed(a));
    }

    Object around(Object a, Object b): idempotent() && execution(* *(*, *)) && args(a, b) {
        return run(thisJoinPointStaticPart, new Object[] {a, b}, () -> proceed(a, b));
    }

    Object around(Object a, Object b, Object c): idempotent() && execution(* *(*, *, *)) && args(a, b, c) {
        return run(thisJoinPointStaticPart, new Object[] {a, b, c}, () -> proceed(a, b, c));
    }

    Object around(Object a, Object b, Object c, Object d): idempotent() && execution(* *(*, *, *, *))
            && args(a, b, c, d) {
        return run(thisJoinPointStaticPart, new Object[] {a, b, c, d}, () -> proceed(a, b, c, d));
    }

    Object around(Object a, Object b, Object c, Object d, Object e): idempotent()
            && execution(* *(*, *, *, *, *)) && args(a, b, c, d, e) {
        return run(thisJoinPointStaticPart, new Object[] {a, b, c, d, e}, () -> proceed(a, b, c, d, e));
    }

    Object around(Object a, Object b, Object c, Object d, Object e, Object f): idempotent()
            && execution(* *(*, *, *, *, *, *)) && args(a, b, c, d, e, f) {
        return run(thisJoinPointStaticPart, new Object[] {a, b, c, d, e, f}, () -> proceed(a, b, c, d, e, f));
    }

    /** Seven parameters or more: the join point object carries them. */
    Object around(): idempotent() && execution(* *(*, *, *, *, *, *, *, ..)) {
        return run(thisJoinPointStaticPart, thisJoinPoint.getArgs(), () -> proceed());
    }

    /** Finds the site's handler and runs the call through it; what the call throws goes out unchanged. */
    private Object run(JoinPoint.StaticPart site, Object[] args, Invocation body) {
        IdempotentMethod method = methods.get(site);
        if (method == null) {
            method = methods.computeIfAbsent(site,
                    s -> IdempotentMethod.of(((MethodSignature) s.getSignature()).getMethod()));
        }
        try {
            return method.invoke(args, body);
        } catch (Throwable t) {
            throw IdempotentAspect.<RuntimeException>unchanged(t);
        }
    }

    /** Rethrows any throwable as it is: the method declares the checked ones the body can throw. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T unchanged(Throwable t) throws T {
        throw (T) t;
    }
}
