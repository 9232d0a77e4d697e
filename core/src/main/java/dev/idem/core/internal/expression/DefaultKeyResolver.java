package dev.idem.core.internal.expression;

import dev.idem.core.spi.KeyResolver;
import java.lang.reflect.Method;

/** TEMPORARY STUB, replaced by the real compiler. */
public final class DefaultKeyResolver implements KeyResolver {
    @Override
    public KeyExpression compile(String expression, Method method) {
        String name = expression.substring(1);
        java.lang.reflect.Parameter[] ps = method.getParameters();
        for (int i = 0; i < ps.length; i++) {
            if (ps[i].getName().equals(name)) {
                int idx = i;
                return args -> args[idx];
            }
        }
        throw new IllegalArgumentException("stub");
    }
}
