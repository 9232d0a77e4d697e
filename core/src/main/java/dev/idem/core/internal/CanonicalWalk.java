package dev.idem.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * The state of writing one canonical form: the path of containers from the root to the value being written, which
 * bounds the nesting depth and detects cycles.
 *
 * <p>Why a walk of its own, instead of Jackson's {@code StreamWriteConstraints}: sets and maps are written by first
 * writing each element to a text of its own (so that they can be sorted), and each such text has a generator of its
 * own whose nesting count starts at zero again. A limit kept by the generators would then hold per set, not for the
 * payload, and a deep enough payload would overflow the stack. One walk is shared by every generator of one write,
 * so the limit counts every level, whichever generator writes it. Not thread-safe: one walk per write.
 */
final class CanonicalWalk {
    private final JsonFactory factory;
    private final Object[] path = new Object[Canonical.MAX_DEPTH];
    private int depth;

    CanonicalWalk(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * The walk of the write that {@code provider} serves: that of the generator the write started with (Jackson
     * keeps it in the provider for the whole write; element texts are written with other generators of the same
     * walk).
     */
    static CanonicalWalk of(SerializerProvider provider) {
        if (provider.getGenerator() instanceof CanonicalGenerator generator) {
            return generator.walk();
        }
        throw new IllegalStateException("not a canonical write: " + provider.getGenerator());
    }

    /**
     * Steps into a container (a bean, map, collection, array or holder).
     *
     * @param container the container, or null if the caller does not know it (only the depth is then checked)
     * @throws NoCanonicalFormException if the container is already on the path (a cycle) or one level too many
     */
    void enter(Object container) throws NoCanonicalFormException {
        if (container != null) {
            for (int i = 0; i < depth; i++) {
                if (path[i] == container) {
                    throw new NoCanonicalFormException("a cycle: " + describe(container) + " contains itself");
                }
            }
        }
        if (depth == path.length) {
            throw new NoCanonicalFormException("nested deeper than " + Canonical.MAX_DEPTH + " levels (at "
                    + describe(container) + ")");
        }
        path[depth++] = container;
    }

    /** Steps out of the container entered last. */
    void exit() {
        path[--depth] = null;
    }

    /** A generator that writes values one at a time to texts of their own, sharing this walk. */
    Texts texts(SerializerProvider provider) throws IOException {
        return new Texts(provider);
    }

    private static String describe(Object value) {
        return value == null ? "a container" : "a " + value.getClass().getName();
    }

    /** Writes values to separate texts with one generator (root values are written with no separator). */
    final class Texts implements Closeable {
        private final SerializerProvider provider;
        private final StringBuilder buffer = new StringBuilder();
        private final CanonicalGenerator generator;

        private Texts(SerializerProvider provider) throws IOException {
            this.provider = provider;
            this.generator = new CanonicalGenerator(factory.createGenerator(new Writer() {
                @Override
                public void write(char[] chars, int offset, int length) {
                    buffer.append(chars, offset, length);
                }

                @Override
                public void write(String text, int offset, int length) {
                    buffer.append(text, offset, offset + length);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            }), CanonicalWalk.this);
        }

        /** The canonical text of one value. */
        String text(Object value) throws IOException {
            provider.defaultSerializeValue(value, generator);
            generator.flush();
            String text = buffer.toString();
            buffer.setLength(0);
            return text;
        }

        /** Gives the generator's buffers back to Jackson. */
        @Override
        public void close() throws IOException {
            generator.close();
        }
    }
}
