package dev.idem.core.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.internal.expression.Samples.Customer;
import dev.idem.core.internal.expression.Samples.Hidden;
import dev.idem.core.internal.expression.Samples.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which kind of accessor each member gets: a spun lambda where possible, a method handle where not. */
class AccessorsTest {

    private static boolean isSpunLambda(Function<Object, Object> accessor) {
        return accessor.getClass().isHidden();
    }

    @Test
    void publicRecordAccessor_isASpunLambda() throws Exception {
        Function<Object, Object> accessor = Accessors.method(Tenant.class.getMethod("id"));
        assertThat(isSpunLambda(accessor)).isTrue();
        assertThat(accessor.apply(new Tenant("t-1"))).isEqualTo("t-1");
    }

    @Test
    void packagePrivateRecordAccessor_isASpunLambda() throws Exception {
        Function<Object, Object> accessor = Accessors.method(Hidden.class.getMethod("id"));
        assertThat(isSpunLambda(accessor)).isTrue();
        assertThat(accessor.apply(new Hidden("h-1"))).isEqualTo("h-1");
    }

    private static final class Secret {
        public String getCode() {
            return "s3cr3t";
        }
    }

    @Test
    void privateNestedClassGetter_isASpunLambda() throws Exception {
        Function<Object, Object> accessor = Accessors.method(Secret.class.getMethod("getCode"));
        assertThat(isSpunLambda(accessor)).isTrue();
        assertThat(accessor.apply(new Secret())).isEqualTo("s3cr3t");
    }

    @Test
    void jdkMethod_isASpunLambda() throws Exception {
        Function<Object, Object> accessor = Accessors.method(String.class.getMethod("length"));
        assertThat(isSpunLambda(accessor)).isTrue();
        assertThat(accessor.apply("four")).isEqualTo(4);
    }

    @Test
    void methodOfAPrivateJdkClass_isReachedThroughItsPublicInterface() throws Exception {
        Class<?> privateList = List.of(1, 2, 3).getClass(); // java.util.ImmutableCollections$ListN
        Function<Object, Object> accessor = Accessors.method(privateList.getMethod("size"));
        assertThat(accessor).isNotNull();
        assertThat(accessor.apply(List.of(1, 2, 3))).isEqualTo(3);
    }

    @Test
    void publicField_isAMethodHandle() throws Exception {
        Function<Object, Object> accessor = Accessors.field(Customer.class.getField("region"));
        assertThat(accessor.apply(new Customer("c", false, "us"))).isEqualTo("us");
    }

    @Test
    void classOfAnotherClassLoader_fallsBackToAMethodHandle() throws Exception {
        // Another loader's classes are in another unnamed module: the lookup on them lacks full privilege access,
        // which the metafactory requires, and this package's loader cannot see them.
        String name = LoadedElsewhere.class.getName();
        Class<?> foreign = new IsolatingClassLoader(name).loadClass(name);
        assertThat(foreign).isNotSameAs(LoadedElsewhere.class);
        Object tenant = foreign.getConstructor(String.class).newInstance("t-foreign");

        Function<Object, Object> accessor = Accessors.method(foreign.getMethod("id"));
        assertThat(isSpunLambda(accessor)).isFalse();
        assertThat(accessor.apply(tenant)).isEqualTo("t-foreign");

        Method any = Samples.method("any");
        assertThat(new DefaultKeyResolver().compile("#value.id", any).evaluate(new Object[] {tenant}))
                .isEqualTo("t-foreign");
    }

    /** Defines one class itself, from the same bytes, instead of delegating to its parent. */
    private static final class IsolatingClassLoader extends ClassLoader {
        private final String isolated;

        IsolatingClassLoader(String isolated) {
            super(AccessorsTest.class.getClassLoader());
            this.isolated = isolated;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(isolated)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
