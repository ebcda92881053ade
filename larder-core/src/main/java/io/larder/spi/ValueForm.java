package io.larder.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A compact binary form for one value type, for values whose JSON costs more than they do: a
 * cached page's body is bytes that JSON would carry as base64 and decode on every read of a store
 * that keeps bytes. The standard codec ({@link io.larder.codec.JsonCodec}) finds forms with
 * {@link java.util.ServiceLoader} (a module {@code provides io.larder.spi.ValueForm}, or a
 * {@code META-INF/services} file) and uses the form of a type instead of JSON wherever that type
 * is stored; a codec of the application's own ignores them.
 *
 * <p>The codec still puts its type fingerprint before the form's bytes, made of the type's shape
 * and the form's {@link #layout()}, so that a value written as another type, before the type
 * changed shape, or in an earlier layout reads as a miss; and stores still authenticate the
 * entry before the codec sees it. A form therefore reads only bytes it wrote, and reads them
 * with {@link Reader}, which fails on any length that does not fit instead of reading past it.
 *
 * @param <T> the type it encodes
 */
public interface ValueForm<T> {
    /** The type it encodes (exactly this class, not its subclasses). */
    Class<T> type();

    /**
     * The name of the byte layout, part of the fingerprint: a new name for any change in what
     * {@link #write} writes makes the entries written in the old one misses.
     */
    String layout();

    /** Writes {@code value}'s fields to {@code out}. */
    void write(T value, Writer out);

    /**
     * Reads the value that {@link #write} wrote.
     *
     * @throws IOException if the bytes do not hold one (the caller treats it as a miss)
     */
    T read(Reader in) throws IOException;

    /** Where a form writes: length-prefixed fields, big-endian. Not thread-safe. */
    final class Writer {
        private byte[] bytes;
        private int size;

        /** A writer whose first {@code capacity} bytes need no growing. */
        public Writer(int capacity) {
            this.bytes = new byte[Math.max(16, capacity)];
        }

        /** A 32-bit integer. */
        public Writer writeInt(int value) {
            ensure(4);
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
            return this;
        }

        /** A 64-bit integer. */
        public Writer writeLong(long value) {
            return writeInt((int) (value >>> 32)).writeInt((int) value);
        }

        /** Bytes as they are, after their length; {@code null} as length -1. */
        public Writer writeBytes(byte[] value) {
            if (value == null) {
                return writeInt(-1);
            }
            writeInt(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
            return this;
        }

        /** A string as UTF-8, after its length; {@code null} as length -1. */
        public Writer writeString(String value) {
            return writeBytes(value == null ? null
                    : value.getBytes(StandardCharsets.UTF_8));
        }

        /** A map of non-null strings: its size, then each key and value. */
        public Writer writeStrings(Map<String, String> map) {
            writeInt(map.size());
            map.forEach((k, v) -> writeString(k).writeString(v));
            return this;
        }

        /** The bytes written. */
        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }
    }

    /**
     * What a form reads: the fields a {@link Writer} wrote, each length checked against what is
     * left. Not thread-safe.
     */
    final class Reader {
        private final byte[] bytes;
        private final int end;
        private int position;

        /** A reader of {@code bytes} from {@code offset} to their end. */
        public Reader(byte[] bytes, int offset) {
            this(bytes, offset, bytes.length - offset);
        }

        /** A reader of {@code length} bytes of {@code bytes} from {@code offset}. */
        public Reader(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            this.bytes = bytes;
            this.position = offset;
            this.end = offset + length;
        }

        /** A 32-bit integer. */
        public int readInt() throws IOException {
            need(4);
            int p = position;
            position += 4;
            return (bytes[p] & 0xff) << 24 | (bytes[p + 1] & 0xff) << 16
                    | (bytes[p + 2] & 0xff) << 8 | (bytes[p + 3] & 0xff);
        }

        /** A 64-bit integer. */
        public long readLong() throws IOException {
            return (long) readInt() << 32 | (readInt() & 0xffffffffL);
        }

        /** Bytes written by {@link Writer#writeBytes}, copied; {@code null} for length -1. */
        public byte[] readBytes() throws IOException {
            int length = length();
            if (length < 0) {
                return null;
            }
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        /** A string written by {@link Writer#writeString}. */
        public String readString() throws IOException {
            int length = length();
            if (length < 0) {
                return null;
            }
            String value = new String(bytes, position, length,
                    StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        /** A map written by {@link Writer#writeStrings}, unmodifiable. */
        public Map<String, String> readStrings() throws IOException {
            int count = readInt();
            if (count < 0 || count > (end - position) / 8) {
                throw new IOException("bad map size " + count);
            }
            @SuppressWarnings("unchecked")
            Map.Entry<String, String>[] entries = new Map.Entry[count];
            for (int i = 0; i < count; i++) {
                String key = readString();
                String value = readString();
                if (key == null || value == null) {
                    throw new IOException("null in a map of strings");
                }
                entries[i] = Map.entry(key, value);
            }
            try {
                return Map.ofEntries(entries);
            } catch (IllegalArgumentException e) {
                throw new IOException("duplicate key in a map of strings", e);
            }
        }

        /** Checks that every byte was read: a form calls it last. */
        public void end() throws IOException {
            if (position != end) {
                throw new IOException((end - position) + " bytes left over");
            }
        }

        private int length() throws IOException {
            int length = readInt();
            if (length < -1) {
                throw new IOException("bad length " + length);
            }
            if (length > 0) {
                need(length);
            }
            return length;
        }

        private void need(int count) throws IOException {
            if (count > end - position) {
                throw new IOException("truncated: " + count + " bytes needed, "
                        + (end - position) + " left");
            }
        }
    }
}
