package dev.idem.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code idem.*} settings for an application that configures idem without code (one woven at load time, for
 * example): an {@code idem.properties} resource on the class path, overridden by system properties.
 */
public final class Settings {
    /** The prefix of every setting. */
    public static final String PREFIX = "idem.";
    /** The name of the resource read from the class path. */
    public static final String RESOURCE = "idem.properties";

    private Settings() {
    }

    /**
     * Reads the settings in force.
     *
     * @return the settings, by name, without blank values
     * @throws UncheckedIOException if {@code idem.properties} exists but cannot be read
     */
    public static Map<String, String> load() {
        Map<String, String> settings = new TreeMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Settings.class.getClassLoader();
        }
        URL resource = loader == null ? ClassLoader.getSystemResource(RESOURCE) : loader.getResource(RESOURCE);
        if (resource != null) {
            Properties file = new Properties();
            try (InputStream in = resource.openStream()) {
                file.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
            copy(file, settings);
        }
        copy(System.getProperties(), settings);
        return settings;
    }

    private static void copy(Properties from, Map<String, String> to) {
        for (String name : from.stringPropertyNames()) {
            String value = from.getProperty(name);
            if (name.startsWith(PREFIX) && value != null && !value.isBlank()) {
                to.put(name, value.trim());
            }
        }
    }
}
