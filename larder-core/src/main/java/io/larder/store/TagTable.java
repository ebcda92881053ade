package io.larder.store;

import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

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
 *
 * <p>Generations never come back to a value they had: a new table starts every slot at a random
 * value, and when increments may have been lost every slot is moved forward by a random amount
 * ({@link #reseed()}). Increments live in the page cache, which a crashed process does not lose
 * but a crashed host (a power cut) may: the table records the boot it was last opened in
 * ({@code .tags.boot}), and the first process of another boot reseeds it.
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
        return open(root, slotsIfNew, TagTable::bootId);
    }

    /** {@link #open(RootFolder, int)}, with the current boot's id from {@code boot}. */
    static TagTable open(RootFolder root, int slotsIfNew, Supplier<String> boot) {
        Path file = root.root().resolve(RootFolder.TAGS);
        try {
            boolean created = false;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    TagTable table = map(file, created, slotsIfNew);
                    table.checkBoot(root, boot.get());
                    return table;
                } catch (NoSuchFileException e) {
                    ByteBuffer content = ByteBuffer.allocate(HEADER + 8 * slotsIfNew);
                    content.putLong(MAGIC).putLong(slotsIfNew);
                    ByteBuffer slots = content.duplicate().order(ByteOrder.nativeOrder());
                    SplittableRandom random = random();
                    for (int i = 0; i < slotsIfNew; i++) {
                        slots.putLong(HEADER + 8 * i, random.nextLong() >>> 2);
                    }
                    created = root.createDurably(file, content.array());
                }
            }
            throw new IllegalStateException("cannot create " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the tag table " + file, e);
        }
    }

    /**
     * Reseeds the table if it was last opened in another boot of the host (or never recorded
     * one): its latest increments may not have reached the disk. Then records this boot.
     */
    private void checkBoot(RootFolder root, String boot) throws IOException {
        if (boot == null) {
            return; // no way to tell boots apart here: increments are trusted
        }
        Path file = root.root().resolve(RootFolder.TAGS + ".boot");
        String recorded;
        try {
            recorded = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            recorded = null;
        }
        if (boot.equals(recorded)) {
            return;
        }
        if (!created) {
            reseed();
        }
        if (slots instanceof java.nio.MappedByteBuffer mapped) {
            mapped.force(); // the new values reach the disk before the boot that trusts them
        }
        root.replaceAtomically(file, boot.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * This boot of the host: Linux's boot id, else the start of process 1, or {@code null} where
     * neither can be read.
     */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"),
                    StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(1).flatMap(p -> p.info().startInstant())
                    .map(Object::toString).orElse(null);
        }
    }

    private static SplittableRandom random() {
        return new SplittableRandom(new SecureRandom().nextLong());
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
            boolean torn = false;
            if (torn(header, count, size)) {
                // Torn by a crash (a power cut can leave a new file empty, zero-filled or short):
                // its generations are lost, so it is made whole again as a new table, whose
                // creator deletes the entries recorded under the old one.
                count = count > 0 && count <= (1 << 24) ? count : slotsIfNew;
                size = HEADER + 8 * count;
                repair(channel, count, size);
                created = true;
                torn = true;
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
            TagTable table = new TagTable(slots, (int) count, created, shared);
            if (torn) {
                table.reseed(); // what is left of its slots may be zeros or old values
            }
            return table;
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

    /** Whether each tag of {@code entry} is still at the generation it was written under. */
    boolean current(StoredEntry entry) {
        List<String> tags = entry.tags();
        for (int i = 0; i < tags.size(); i++) {
            if ((long) SLOT.getVolatile(slots, offset(tags.get(i))) != entry.generation(i)) {
                return false;
            }
        }
        return true;
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

    /**
     * Moves every slot forward by its own random amount (up to 2^62), so that no generation
     * comes back to a value it had: every entry written before is a miss, in every process.
     */
    void reseed() {
        SplittableRandom random = random();
        for (int i = 0; i < slotCount; i++) {
            SLOT.getAndAdd(slots, HEADER + 8 * i, 1 + (random.nextLong() >>> 2));
        }
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
