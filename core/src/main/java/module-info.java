/**
 * idem's engine and API. Exported: the user API ({@code dev.idem.core}), events ({@code dev.idem.core.event}), what
 * weaving adapters need ({@code dev.idem.core.weaving}) and the store SPI ({@code dev.idem.core.spi}). The engine
 * ({@code dev.idem.core.internal}) is not exported: it may change in any release.
 */
module dev.idem.core {
    requires transitive dev.idem.annotation;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports dev.idem.core;
    exports dev.idem.core.event;
    exports dev.idem.core.spi;
    exports dev.idem.core.weaving;

    uses dev.idem.core.spi.IdempotencyStoreProvider;
    uses dev.idem.core.spi.ResultTypeSupport;
}
