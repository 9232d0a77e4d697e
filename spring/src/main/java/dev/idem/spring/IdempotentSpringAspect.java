package dev.idem.spring;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.weaving.IdempotentMethod;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.Ordered;

/**
 * Makes {@link Idempotent} methods of Spring beans idempotent through Spring AOP: declare this class as a bean in an
 * application with {@code @EnableAspectJAutoProxy} (or Spring Boot's AOP starter), and each call of an annotated method
 * on a proxied bean goes through {@link IdempotentMethod#invoke}, where all the behaviour lives.
 *
 * <pre>{@code
 * @Bean
 * IdempotentSpringAspect idempotentSpringAspect() {
 *     return new IdempotentSpringAspect(IdempotencyConfig.builder()
 *             .defaultStore(CaffeineIdempotencyStore.create())
 *             .build());
 * }
 * }</pre>
 *
 * <p>Spring AOP intercepts only calls that pass through the bean's proxy: a call from one method of a bean to another
 * method of the same bean (self-invocation) is not idempotent, and neither is a method the proxy cannot override
 * (private, or final on a class-based proxy). Put {@code @Idempotent} on the implementation class's method; an
 * annotation on an interface method alone is not matched.
 *
 * <p>Where other advice applies to the same methods, {@link #setOrder} decides which runs outside: to record an outcome
 * only once a transaction has committed, give this aspect a higher precedence (a lower order) than the transaction
 * advice.
 *
 * <p>Thread-safe.
 */
// Why not dev.idem.aspect.IdempotentAspect? That aspect must be compiled by ajc for compile-time and load-time
// weaving, and ajc adds fields named ajc$..., by which Spring AOP recognises a class that ajc compiled and then refuses
// it as an aspect (AbstractAspectJAdvisorFactory#isAspect). This class is compiled by plain javac, so Spring reads its
// annotations as an ordinary @Aspect bean. Like the other aspect it is only an adapter: what differs is finding the
// annotated method behind a proxy (below); the behaviour is in idem-core.
@Aspect
public class IdempotentSpringAspect implements Ordered {
    private final ConcurrentHashMap<MethodKey, IdempotentMethod> methods = new ConcurrentHashMap<>();
    private volatile int order = Ordered.LOWEST_PRECEDENCE;

    /**
     * Creates the aspect with the configuration already in force: the one last given to
     * {@link Idempotency#configure}, or the zero-configuration default (the store found on the class path).
     */
    public IdempotentSpringAspect() {
    }

    /**
     * Creates the aspect and installs {@code config} with {@link Idempotency#configure}, so that an application can
     * configure idem where it declares this bean. The configuration is global: it applies to every idempotent method
     * and operation in this class loader, woven or not, from calls that start after this.
     *
     * @param config the configuration to install
     * @throws NullPointerException if {@code config} is null
     */
    public IdempotentSpringAspect(IdempotencyConfig config) {
        Idempotency.configure(config);
    }

    /**
     * The precedence of this aspect among other advice on the same method; Spring reads it when it builds proxies.
     *
     * @return the order, {@link Ordered#LOWEST_PRECEDENCE} unless {@link #setOrder set}
     */
    @Override
    public int getOrder() {
        return order;
    }

    /**
     * Sets the precedence of this aspect: a lower value runs further outside. Call it before the application context
     * creates its proxies, for example in the {@code @Bean} method that declares this aspect.
     *
     * @param order the order
     */
    public void setOrder(int order) {
        this.order = order;
    }

    /**
     * Runs a call of an {@code @Idempotent} method through the engine.
     *
     * @param joinPoint the method call, as the bean's proxy received it
     * @return the method's result, recorded or replayed
     * @throws Throwable what the method throws, unchanged, or an {@code IdempotencyException}
     */
    @Around("execution(@dev.idem.annotation.Idempotent * *(..))")
    public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
        Method called = ((MethodSignature) joinPoint.getSignature()).getMethod();
        Object target = joinPoint.getTarget();
        MethodKey site = new MethodKey(called, target == null ? called.getDeclaringClass() : target.getClass());
        IdempotentMethod method = methods.get(site);
        if (method == null) {
            method = methods.computeIfAbsent(site, s -> IdempotentMethod.of(annotatedMethod(s.called(), target)));
        }
        return method.invoke(joinPoint.getArgs(), joinPoint::proceed);
    }

    /**
     * The method that carries the annotation. Through a JDK (interface) proxy the called method is the interface's,
     * while the annotation sits on the implementation's method, which Spring's pointcut matched.
     */
    private static Method annotatedMethod(Method called, Object target) {
        if (target != null) {
            Method specific = AopUtils.getMostSpecificMethod(called, AopUtils.getTargetClass(target));
            if (specific.isAnnotationPresent(Idempotent.class)) {
                return specific;
            }
        }
        return called;
    }

    /** One called method on one target class: the same interface method may lead to different implementations. */
    private record MethodKey(Method called, Class<?> targetClass) {
    }
}
