package dev.idem.spring.boot;

import dev.idem.core.IdempotencyConfig;

/** The one line the starter logs at start-up: which store idem uses, and why. Logger {@code dev.idem.spring.boot}. */
final class StartupLog {
    static final System.Logger LOGGER = System.getLogger("dev.idem.spring.boot");

    private StartupLog() {
    }

    static void storeChosen(IdempotencyConfig config, String source) {
        LOGGER.log(System.Logger.Level.INFO, message(config, source));
    }

    static String message(IdempotencyConfig config, String source) {
        if (!config.enabled()) {
            return "idem is disabled (idem.enabled=false): @Idempotent methods run without protection, no store";
        }
        return "idem uses the store " + config.defaultStore() + " (" + source + ")"
                + (config.keyPrefix().isEmpty() ? "" : ", key prefix '" + config.keyPrefix() + "'");
    }
}
