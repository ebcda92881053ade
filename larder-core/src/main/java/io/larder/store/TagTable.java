package io.larder.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Tag generations shared by every process on the root: a memory-mapped file {@code <root>/.tags}
 * of 8-byte slots, a tag hashed to one slot. A read is a volatile load from the mapping and an
 * invalidation an atomic add on it (a locked instruction on memory that all processes map), so
 * an invalidation in one JVM is seen by the next read in any other. Two tags that share a slot
 * invalidate each other, which costs a reload but never serves an outdated entry.
 *
 * <p>Layout: {@code "LRDRTAGS"} (8 bytes), slot count (8 bytes, big-endian), then the slots in
 * the host's byte order. The file is written in full when created (not sparse), so that a full
 * disk cannot fault a later write to the mapping.
 */
final class TagTable {
    static final long MAGIC = 0x4C52445254414753L; // "LRDRTAGS"
    private static final int HEADER = 16;
    private static final VarHandle SLOT =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer slots;
    private final int slotCount;
    private final boolean created;
    private final boolean shared;

    private TagTable(ByteBuffer slots, int slotCount, boolean created, boolean shared) {
        this.slots = slots;
        this.slotCount = slotCount;
        this.created = created;
        this.shared = shared;
    }

    /**
     * Opens the table of {@code root}, creating it with {@code slotsIfNew} slots if there is none
     * (another process may win that race: the file it made is used).
     *
     * @throws IllegalStateException if the file exists but is not a tag table
     */
    static TagTable open(RootFolder root, int slotsIfNew) {
        Path file = root.root().resolve(RootFolder.TAGS);
        try {
            boolean created = false;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return map(file, created, slotsIfNew);
                } catch (NoSuchFileException e) {
                    ByteBuffer content = ByteBuffer.allocate(HEADER + 8 * slotsIfNew);
                    content.putLong(MAGIC).putLong(slotsIfNew);
                    created = root.createDurably(file, content.array());
                }
            }
            throw new IllegalStateException("cannot create " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the tag table " + file, e);
        }
    }

    private static TagTable map(Path file, boolean created, int slotsIfNew) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // read the whole header
            }
            header.flip();
            long count = header.remaining() == HEADER && header.getLong() == MAGIC
                    ? header.getLong() : -1;
            if (torn(header, count, size)) {
                // Torn by a crash (a power cut can leave a new file empty, zero-filled or short):
                // its generations are lost, so it is made whole again as a new table, whose
                // creator deletes the entries recorded under the old one.
                count = count > 0 && count <= (1 << 24) ? count : slotsIfNew;
                size = HEADER + 8 * count;
                repair(channel, count, size);
                created = true;
            }
            if (count <= 0 || count > (1 << 24) || size != HEADER + 8 * count) {
                throw new IllegalStateException(file + " is not a Larder tag table; move it away"
                        + " together with the entries of that root");
            }
            ByteBuffer slots;
            boolean shared = true;
            try {
                slots = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            } catch (UnsupportedOperationException e) {
                // A file system that cannot map (an in-memory one): one process only, so a copy
                // in this JVM's memory is as good.
                slots = ByteBuffer.allocateDirect((int) size);
                while (slots.hasRemaining() && channel.read(slots, slots.position()) > 0) {
                    // copy the file
                }
                slots.clear();
                shared = false;
            }
            return new TagTable(slots, (int) count, created, shared);
        }
    }

    /** Whether this process created the file (so entries left from an older table are void). */
    boolean created() {
        return created;
    }

    /** Whether other processes see this table (false on a file system that cannot map files). */
    boolean shared() {
        return shared;
    }

    int slotCount() {
        return slotCount;
    }

    /** The generation of each tag, in order. */
    long[] generations(List<String> tags) {
        long[] result = new long[tags.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (long) SLOT.getVolatile(slots, offset(tags.get(i)));
        }
        return result;
    }

    /**
     * Whether the table was torn by a crash: its header zero-filled, or cut short within its
     * header (what is left of the magic matches), or within its slots.
     */
    private static boolean torn(ByteBuffer header, long count, long size) {
        byte[] present = Arrays.copyOf(header.array(), header.limit());
        if (RootFolder.allZero(present)) {
            return true;
        }
        byte[] magic = ByteBuffer.allocate(8).putLong(MAGIC).array();
        int known = Math.min(present.length, magic.length);
        if (present.length < HEADER && Arrays.equals(present, 0, known, magic, 0, known)) {
            return true;
        }
        return count > 0 && count <= (1 << 24) && size < HEADER + 8 * count;
    }

    /**
     * Writes the header of a table of {@code count} slots and extends the file to {@code size}
     * without overwriting a slot (another process repairing it at once writes the same bytes).
     */
    private static void repair(FileChannel channel, long count, long size) throws IOException {
        channel.write(ByteBuffer.allocate(HEADER).putLong(MAGIC).putLong(count).flip(), 0);
        if (channel.size() < size) {
            channel.write(ByteBuffer.allocate(1), size - 1);
        }
        channel.force(true);
    }

    /** Moves the generation of each tag forward by one. */
    void invalidate(Collection<String> tags) {
        for (String tag : tags) {
            SLOT.getAndAdd(slots, offset(tag), 1L);
        }
    }

    private int offset(String tag) {
        // String.hashCode is fixed by the language spec, so every JVM picks the same slot.
        long h = tag.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return HEADER + 8 * (int) Math.floorMod(h, (long) slotCount);
    }
}
