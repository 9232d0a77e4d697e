package dev.idem.spring;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentResult;
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
 * <p>A web application can tell its clients which responses were replayed: with
 * {@code setReplayMarker(new IdempotentReplayedHeader())} (from {@code dev.idem.spring.web}, which needs spring-web) a
 * replayed response carries the header {@code Idempotent-Replayed: true}. See {@link #setReplayMarker}.
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
    /** Set while the outermost marked call runs on this thread: calls inside its body are not marked. */
    private static final ThreadLocal<Boolean> MARKING = new ThreadLocal<>();

    private final ConcurrentHashMap<MethodKey, IdempotentMethod> methods = new ConcurrentHashMap<>();
    private volatile int order = Ordered.LOWEST_PRECEDENCE;
    private volatile ReplayMarker replayMarker;

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
     * The marker of replayed results.
     *
     * @return the marker, or null if replays are not marked (the default)
     */
    public ReplayMarker getReplayMarker() {
        return replayMarker;
    }

    /**
     * Sets what marks a replayed result, or null (the default) to leave results as they are. With a marker, the
     * aspect runs each outermost {@code @Idempotent} call on a thread through {@link Idempotency#capture} and, when its
     * outcome was replayed, hands it to the marker; calls made inside the body of another idempotent call are not
     * marked (they say nothing about the response). {@code dev.idem.spring.web.IdempotentReplayedHeader} sets the
     * {@code Idempotent-Replayed: true} header:
     *
     * <pre>{@code
     * aspect.setReplayMarker(new IdempotentReplayedHeader());
     * }</pre>
     *
     * <p>May be called at any time; calls that start afterwards see the new marker.
     *
     * @param replayMarker the marker, or null for none
     */
    public void setReplayMarker(ReplayMarker replayMarker) {
        this.replayMarker = replayMarker;
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
        ReplayMarker marker = replayMarker;
        if (marker == null || MARKING.get() != null) {
            return method.invoke(joinPoint.getArgs(), joinPoint::proceed);
        }
        return invokeMarking(method, joinPoint, marker, called);
    }

    /** Runs the outermost call on this thread inside a capture, and marks its result if it was replayed. */
    private static Object invokeMarking(IdempotentMethod method, ProceedingJoinPoint joinPoint, ReplayMarker marker,
            Method called) throws Throwable {
        IdempotentResult<Object> result;
        MARKING.set(Boolean.TRUE);
        try {
            result = Idempotency.capture(() -> {
                try {
                    return method.invoke(joinPoint.getArgs(), joinPoint::proceed);
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) { // neither: carried through capture's Callable, unwrapped below
                    throw new CarriedThrowable(t);
                }
            });
        } catch (CarriedThrowable carried) {
            throw carried.getCause();
        } finally {
            MARKING.remove();
        }
        return result.replayed() ? marker.markReplayed(result.value(), called) : result.value();
    }

    /** A {@code Throwable} that is neither an {@code Exception} nor an {@code Error}, on its way through a capture. */
    private static final class CarriedThrowable extends Exception {
        private static final long serialVersionUID = 1L;

        CarriedThrowable(Throwable cause) {
            super(cause);
        }
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
