package dev.idem.spring.boot;

import dev.idem.annotation.Idempotent;
import dev.idem.core.weaving.IdempotentMethod;
import dev.idem.spring.IdempotentSpringAspect;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.aspectj.AbstractAspectJAdvice;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * With {@code idem.verify-proxies=true}: once every singleton exists, fails start-up with an
 * {@link IllegalStateException} listing each bean method that carries {@link Idempotent} but would run unprotected,
 * because neither of the two ways idem takes effect applies to it:
 * <ul>
 *   <li>Spring AOP: the bean is a Spring AOP proxy ({@link Advised}) with an advisor of {@link IdempotentSpringAspect}
 *       whose pointcut matches the method, and the proxy can intercept the method: a class-based proxy cannot
 *       intercept a private, final or static method, an interface-based one only methods of the proxied interfaces;
 *   <li>AspectJ: the method's execution was woven (at compile or load time), as
 *       {@link IdempotentMethod#isWoven(Method)} tells, the check {@code Idempotency.requireWoven} uses.
 * </ul>
 * Typical causes it catches: a bean registered as a ready-made singleton (never post-processed), a final or private
 * method, an {@code @Idempotent} method that a JDK proxy does not expose, AOP auto-proxying switched off. It cannot see
 * self-invocation ({@code this.pay(...)} inside the bean), which bypasses any proxy.
 */
final class IdempotentProxyVerifier implements SmartInitializingSingleton, BeanFactoryAware {
    private ConfigurableListableBeanFactory beanFactory;

    IdempotentProxyVerifier() {
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> unprotected = new ArrayList<>();
        for (String name : beanFactory.getSingletonNames()) {
            Object bean = beanFactory.getSingleton(name);
            if (bean == null || bean instanceof IdempotentSpringAspect) {
                continue;
            }
            for (Method method : unprotectedMethods(bean)) {
                unprotected.add("bean '" + name + "': " + method.toGenericString());
            }
        }
        if (!unprotected.isEmpty()) {
            throw new IllegalStateException("idem.verify-proxies: these @Idempotent methods are neither advised by "
                    + "Spring AOP (through the bean's proxy) nor woven by AspectJ, so they would run without "
                    + "protection. Make them public and non-final on a bean that Spring proxies (not a "
                    + "registered singleton), expose them on the proxied interface or proxy the class "
                    + "(spring.aop.proxy-target-class=true), or weave them with idem-aspect:\n  "
                    + String.join("\n  ", unprotected));
        }
    }

    static List<Method> unprotectedMethods(Object bean) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        List<Method> annotated = new ArrayList<>();
        ReflectionUtils.doWithMethods(ClassUtils.getUserClass(targetClass), annotated::add,
                method -> method.isAnnotationPresent(Idempotent.class) && !method.isBridge());
        List<Method> unprotected = new ArrayList<>();
        for (Method method : annotated) {
            if (!IdempotentMethod.isWoven(method) && !advised(bean, targetClass, method)) {
                unprotected.add(method);
            }
        }
        return unprotected;
    }

    private static boolean advised(Object bean, Class<?> targetClass, Method method) {
        if (!(bean instanceof Advised advised) || !AopUtils.isAopProxy(bean)) {
            return false;
        }
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
            return false;
        }
        if (AopUtils.isCglibProxy(bean)) {
            if (Modifier.isFinal(modifiers)) {
                return false;
            }
        } else if (!exposedByInterfaces(advised, method)) {
            return false;
        }
        for (Advisor advisor : advised.getAdvisors()) {
            if (advisor instanceof PointcutAdvisor pointcutAdvisor && isIdemAdvice(advisor.getAdvice())
                    && AopUtils.canApply(pointcutAdvisor.getPointcut(), targetClass)
                    && pointcutAdvisor.getPointcut().getMethodMatcher().matches(method, targetClass)) {
                return true;
            }
        }
        return false;
    }

    private static boolean exposedByInterfaces(Advised advised, Method method) {
        for (Class<?> proxied : advised.getProxiedInterfaces()) {
            try {
                proxied.getMethod(method.getName(), method.getParameterTypes());
                return true;
            } catch (NoSuchMethodException e) {
                // not on this interface
            }
        }
        return false;
    }

    private static boolean isIdemAdvice(Advice advice) {
        return advice instanceof AbstractAspectJAdvice aspectJAdvice
                && aspectJAdvice.getAspectInstanceFactory().getAspectInstance() instanceof IdempotentSpringAspect;
    }
}
