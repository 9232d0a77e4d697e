package dev.idem.core.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * A generator that reports every array and object it opens to the {@link CanonicalWalk} of the write, so that
 * Jackson's own serializers (beans, records, lists, arrays) count towards the nesting limit and their cycles are
 * found; and that writes binary data as a tagged token, so that a {@code byte[]} never equals the string of its
 * base64 text.
 */
final class CanonicalGenerator extends JsonGeneratorDelegate {
    private final CanonicalWalk walk;

    CanonicalGenerator(JsonGenerator delegate, CanonicalWalk walk) {
        super(delegate, false);
        this.walk = walk;
    }

    /** The walk this generator reports to. */
    CanonicalWalk walk() {
        return walk;
    }

    @Override
    public void writeStartArray() throws IOException {
        walk.enter(null);
        super.writeStartArray();
    }

    @Override
    @Deprecated
    public void writeStartArray(int size) throws IOException {
        walk.enter(null);
        super.writeStartArray(size);
    }

    @Override
    public void writeStartArray(Object forValue) throws IOException {
        walk.enter(forValue);
        super.writeStartArray(forValue);
    }

    @Override
    public void writeStartArray(Object forValue, int size) throws IOException {
        walk.enter(forValue);
        super.writeStartArray(forValue, size);
    }

    @Override
    public void writeEndArray() throws IOException {
        super.writeEndArray();
        walk.exit();
    }

    @Override
    public void writeStartObject() throws IOException {
        walk.enter(null);
        super.writeStartObject();
    }

    @Override
    public void writeStartObject(Object forValue) throws IOException {
        walk.enter(forValue);
        super.writeStartObject(forValue);
    }

    @Override
    public void writeStartObject(Object forValue, int size) throws IOException {
        walk.enter(forValue);
        super.writeStartObject(forValue, size);
    }

    @Override
    public void writeEndObject() throws IOException {
        super.writeEndObject();
        walk.exit();
    }

    // The delegate would write these arrays by itself, past the walk: write them element by element instead.

    @Override
    public void writeArray(int[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeNumber(array[i]);
        }
        writeEndArray();
    }

    @Override
    public void writeArray(long[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeRawValue(CanonicalSerializers.tagged("long", Long.toString(array[i])));
        }
        writeEndArray();
    }

    @Override
    public void writeArray(double[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeNumber(array[i]);
        }
        writeEndArray();
    }

    @Override
    public void writeArray(String[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeString(array[i]);
        }
        writeEndArray();
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int length) throws IOException {
        writeBytes(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, offset, offset + length)));
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        data.transferTo(bytes);
        writeBytes(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        return bytes.size();
    }

    private void writeBytes(String base64) throws IOException {
        // Base64 text needs no escaping inside the quotes.
        writeRawValue(CanonicalSerializers.tagged("bytes", '"' + base64 + '"'));
    }
}
