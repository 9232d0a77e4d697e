/** The {@code @Idempotent} annotation and its policies; nothing else, so that it can sit on any class path. */
module dev.idem.annotation {
    exports dev.idem.annotation;
}
