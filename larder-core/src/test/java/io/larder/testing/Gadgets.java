package io.larder.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java serialization gadget streams and what became of them: {@link Gadget}'s initializations
 * and deserializations are counted here, so a test can prove that bytes from a cache never
 * reached {@link ObjectInputStream} nor initialized the class. The streams are built by hand
 * ({@link #stream}), so that making them does not touch the class either.
 */
public final class Gadgets {
    /** Times {@link Gadget} was initialized; 0 unless something decoded a stream naming it. */
    public static final AtomicInteger INITIALIZED = new AtomicInteger();
    /** Times a {@link Gadget} was deserialized. */
    public static final AtomicInteger DESERIALIZED = new AtomicInteger();
    private static final String GADGET = "io.larder.testing.Gadget";

    private Gadgets() {
    }

    /**
     * The Java serialization stream ({@code AC ED 00 05 ...}) of one instance of the class named
     * {@code className} (serializable, no fields, serialVersionUID 1), written without loading it.
     */
    public static byte[] stream(String className) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(0xACED); // STREAM_MAGIC
            out.writeShort(5); // STREAM_VERSION
            out.writeByte(0x73); // TC_OBJECT
            out.writeByte(0x72); // TC_CLASSDESC
            out.writeUTF(className);
            out.writeLong(1L); // serialVersionUID
            out.writeByte(0x02); // SC_SERIALIZABLE
            out.writeShort(0); // no fields
            out.writeByte(0x78); // TC_ENDBLOCKDATA
            out.writeByte(0x70); // TC_NULL: no serializable superclass
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The stream of a {@link Gadget}. */
    public static byte[] stream() {
        return stream(GADGET);
    }

    /**
     * A gadget that tests may deserialize on purpose, to prove that {@link #stream} builds live
     * streams: the same shape as {@link Gadget}, counted apart.
     */
    public static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Times an instance was deserialized. */
        public static final AtomicInteger DESERIALIZED = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.incrementAndGet();
        }
    }

    /** Fails if the gadget was ever initialized or deserialized in this JVM. */
    public static void assertUntouched() {
        if (INITIALIZED.get() != 0 || DESERIALIZED.get() != 0) {
            throw new AssertionError("a gadget was initialized " + INITIALIZED.get()
                    + " and deserialized " + DESERIALIZED.get() + " times");
        }
    }
}
