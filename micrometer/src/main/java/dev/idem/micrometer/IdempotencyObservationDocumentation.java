package dev.idem.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations idem makes, with their default conventions and tag keys, in the form Micrometer's documentation
 * tooling reads. None has a high-cardinality tag: the idempotency key is never one.
 */
public enum IdempotencyObservationDocumentation implements ObservationDocumentation {

    /**
     * One idempotent call, from its start to the moment the caller gets its value or exception (for an asynchronous
     * method, when its stage completes). The method body runs in its scope, so a tracer nests the body's spans under
     * it. Tags: operation, namespace, store, and outcome (at the end).
     */
    CALL {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultIdempotencyObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }
    },

    /**
     * The wait of a duplicate for the call holding its key, a child of the duplicate's {@link #CALL}. Tags:
     * operation, namespace, store.
     */
    WAIT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultIdempotencyWaitObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeyNames.OPERATION, LowCardinalityKeyNames.NAMESPACE,
                    LowCardinalityKeyNames.STORE};
        }
    };

    /** The tag keys of idem's observations (and, for operation, namespace and store, of its meters). */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The method ({@code Class#method}) or the programmatic operation's namespace. */
        OPERATION {
            @Override
            public String asString() {
                return "idem.operation";
            }
        },

        /** The key namespace. */
        NAMESPACE {
            @Override
            public String asString() {
                return "idem.namespace";
            }
        },

        /** The store's name, {@code default} for the default store. */
        STORE {
            @Override
            public String asString() {
                return "idem.store";
            }
        },

        /**
         * The call's outcome, lower case with dashes: {@code executed}, {@code replayed}, {@code rejected},
         * {@code mismatch}, {@code released}, {@code lease-lost}, {@code store-error}, {@code unprotected}.
         */
        OUTCOME {
            @Override
            public String asString() {
                return "idem.outcome";
            }
        }
    }
}
