package dev.idem.aspect;

import dev.idem.annotation.Idempotent;
import dev.idem.core.weaving.IdempotentMethod;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Weaves {@link Idempotent} methods: around each execution, hands the arguments and the body to
 * {@link IdempotentMethod#invoke}, where all the behaviour lives. This class only adapts a join point.
 *
 * <p>Works with compile-time weaving (list {@code idem-aspect} as an aspect library of the AspectJ Maven plugin),
 * load-time weaving (the weaver agent reads this jar's {@code META-INF/aop.xml}) and Spring AOP (declare this class as
 * a bean). The handler of each join point is looked up once and then found by identity.
 */
@Aspect
public class IdempotentAspect {
    private final ConcurrentHashMap<JoinPoint.StaticPart, IdempotentMethod> methods = new ConcurrentHashMap<>();

    /** Creates the aspect; AspectJ or Spring calls this. */
    public IdempotentAspect() {
    }

    /**
     * Runs an {@code @Idempotent} method through the engine.
     *
     * @param joinPoint the method execution
     * @return the method's result, recorded or replayed
     * @throws Throwable what the method throws, unchanged, or an {@code IdempotencyException}
     */
    @Around("execution(@dev.idem.annotation.Idempotent * *(..))")
    public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
        JoinPoint.StaticPart site = joinPoint.getStaticPart();
        IdempotentMethod method = methods.get(site);
        if (method == null) {
            method = methods.computeIfAbsent(site,
                    s -> IdempotentMethod.of(((MethodSignature) s.getSignature()).getMethod()));
        }
        return method.invoke(joinPoint.getArgs(), joinPoint::proceed);
    }
}
