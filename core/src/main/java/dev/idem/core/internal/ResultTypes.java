package dev.idem.core.internal;

import dev.idem.core.spi.ResultTypeSupport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/**
 * The {@link ResultTypeSupport}s on the class path, found once: those visible to idem-core's class loader, and, when
 * that finds none, the thread context class loader's (as for store providers). A support that cannot be loaded is
 * logged and skipped: a framework's support must never stop idem from working for everything else.
 */
public final class ResultTypes {
    private static final List<ResultTypeSupport> SUPPORTS = load();

    private ResultTypes() {
    }

    private static List<ResultTypeSupport> load() {
        Map<String, ResultTypeSupport> found = new LinkedHashMap<>();
        collect(ResultTypes.class.getClassLoader(), found);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (found.isEmpty() && context != null) {
            collect(context, found);
        }
        return List.copyOf(found.values());
    }

    private static void collect(ClassLoader loader, Map<String, ResultTypeSupport> found) {
        Iterator<ResultTypeSupport> it = ServiceLoader.load(ResultTypeSupport.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                ResultTypeSupport support = it.next();
                found.putIfAbsent(support.getClass().getName(), support);
            } catch (ServiceConfigurationError | LinkageError e) {
                Events.LOG.log(System.Logger.Level.WARNING, "a ResultTypeSupport could not be loaded; skipped", e);
            }
        }
    }

    /**
     * The Jackson modules the supports give the codec.
     *
     * @return the modules
     */
    public static List<com.fasterxml.jackson.databind.Module> codecModules() {
        List<com.fasterxml.jackson.databind.Module> modules = new ArrayList<>();
        for (ResultTypeSupport support : SUPPORTS) {
            try {
                com.fasterxml.jackson.databind.Module module = support.codecModule();
                if (module != null) {
                    modules.add(module);
                }
            } catch (RuntimeException | LinkageError e) {
                Events.LOG.log(System.Logger.Level.WARNING, "the codec module of " + support.getClass().getName()
                        + " could not be made; skipped", e);
            }
        }
        return modules;
    }

    /**
     * The first support's default condition for a result type.
     *
     * @param resultType the raw result type
     * @return the condition, or null for none
     */
    public static Predicate<Object> defaultUnless(Class<?> resultType) {
        for (ResultTypeSupport support : SUPPORTS) {
            Predicate<Object> condition;
            try {
                condition = support.defaultUnless(resultType);
            } catch (RuntimeException | LinkageError e) {
                Events.LOG.log(System.Logger.Level.WARNING, "the default unless of " + support.getClass().getName()
                        + " for " + resultType.getName() + " could not be made; skipped", e);
                continue;
            }
            if (condition != null) {
                return condition;
            }
        }
        return null;
    }
}
