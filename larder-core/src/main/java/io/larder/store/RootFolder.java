package io.larder.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The file store's root folder: where each file lives, how files are created (owner-only
 * permissions, atomically), and the checks made before anything is written. Entry files are
 * named by the 64-hex digest of their key, never by the key:
 * {@code <root>/<region>/<2 hex>/<digest>}.
 */
final class RootFolder {
    static final String SECRET = ".secret";
    static final String TAGS = ".tags";
    static final String TRASH = ".trash";
    static final String TEMP_SUFFIX = ".tmp";
    static final String LOCK_SUFFIX = ".lock";
    /** Markers ({@code Store.marker}) are files {@code .marker.<name>} in the root. */
    static final String MARKER_PREFIX = ".marker.";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> FOLDER_MODE =
            PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE =
            PosixFilePermissions.fromString("rw-------");
    private static final OpenOption[] NEW_FILE = {StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE};

    private final Path root;
    private final boolean posix;
    private final Set<Path> knownFolders = ConcurrentHashMap.newKeySet();

    private RootFolder(Path root, boolean posix) {
        this.root = root;
        this.posix = posix;
    }

    /**
     * Opens {@code root}, creating it owner-only if absent.
     *
     * @throws IllegalStateException if the folder can be written by its group or by others
     * @throws UncheckedIOException if it cannot be created or read
     */
    static RootFolder open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        RootFolder folder = new RootFolder(absolute, posix);
        try {
            folder.createFolders(absolute);
            if (posix) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(absolute);
                if (mode.contains(PosixFilePermission.GROUP_WRITE)
                        || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new IllegalStateException("the DiskStore root " + absolute
                            + " can be written by other users (mode "
                            + PosixFilePermissions.toString(mode)
                            + "); use a folder only its owner can write (chmod 700)");
                }
                folder.checkOwnedByThisProcess();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the DiskStore root " + absolute, e);
        }
        return folder;
    }

    /** A root owned by another user is writable by that user: compare with a file made here. */
    private void checkOwnedByThisProcess() throws IOException {
        Path probe = tempBeside(root.resolve(".owner"));
        writeNew(probe, new byte[0], false);
        try {
            UserPrincipal us = Files.getOwner(probe);
            UserPrincipal owner = Files.getOwner(root);
            if (!us.equals(owner)) {
                throw new IllegalStateException("the DiskStore root " + root + " belongs to "
                        + owner.getName() + ", not to " + us.getName()
                        + ", who runs this process; use a folder of your own");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    Path root() {
        return root;
    }

    Path region(String region) {
        return root.resolve(region);
    }

    /** The names of the region folders (not Larder's own dot-files and folders). */
    List<String> regions() throws IOException {
        List<String> regions = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    regions.add(name);
                }
            }
        }
        return regions;
    }

    Path folder(String region, String digest) {
        return root.resolve(region).resolve(digest.substring(0, 2));
    }

    Path entry(String region, String digest) {
        return folder(region, digest).resolve(digest);
    }

    Path lock(String region, String digest) {
        return folder(region, digest).resolve(digest + LOCK_SUFFIX);
    }

    /** A fresh temp file name beside {@code target}, never the name of an entry. */
    static Path tempBeside(Path target) {
        return target.resolveSibling(target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    }

    static boolean isEntryName(String name) {
        return name.length() == 64 && DIGEST.matcher(name).matches();
    }

    /** Creates {@code folder} (and its parents) owner-only, unless this JVM did so already. */
    void ensureFolder(Path folder) throws IOException {
        if (!knownFolders.contains(folder)) {
            createFolders(folder);
            knownFolders.add(folder);
        }
    }

    /** Forgets the folders known under {@code path} (after they were moved away). */
    void forgetFolders(Path path) {
        knownFolders.removeIf(p -> p.startsWith(path));
    }

    private void createFolders(Path folder) throws IOException {
        if (posix) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
        } else {
            Files.createDirectories(folder);
        }
    }

    /** Opens a new owner-only file for writing; fails if it exists. */
    FileChannel createNew(Path file) throws IOException {
        if (posix) {
            FileAttribute<Set<PosixFilePermission>> mode =
                    PosixFilePermissions.asFileAttribute(FILE_MODE);
            return FileChannel.open(file, Set.of(NEW_FILE), mode);
        }
        return FileChannel.open(file, NEW_FILE);
    }

    /** Writes {@code bytes} to a new owner-only file; fails if it exists. */
    void writeNew(Path file, byte[] bytes, boolean fsync) throws IOException {
        try (FileChannel channel = createNew(file)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(true);
            }
        }
    }

    /**
     * Creates {@code target} with {@code content} as one atomic step (a temp file, then a hard
     * link, which fails if the target exists): readers never see it partly written, and of two
     * processes creating it at once exactly one wins.
     *
     * @return whether this call created it
     */
    boolean createAtomically(Path target, byte[] content) throws IOException {
        return create(target, content, false);
    }

    /**
     * {@link #createAtomically}, and forced to disk (file, then folder) before it is used: for
     * the files every entry depends on (the secret, the tag table), which a power cut right
     * after their creation must not leave empty.
     */
    boolean createDurably(Path target, byte[] content) throws IOException {
        return create(target, content, true);
    }

    private boolean create(Path target, byte[] content, boolean durable) throws IOException {
        Path temp = tempBeside(target);
        writeNew(temp, content, durable);
        try {
            Files.createLink(target, temp);
            if (durable) {
                try {
                    forceFolder(target.getParent());
                } catch (FileSystemException e) {
                    // A file system that cannot open a folder (an in-memory one): nothing to force.
                }
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Replaces {@code target} by a file of {@code content} in one atomic rename. */
    void replaceAtomically(Path target, byte[] content) throws IOException {
        Path temp = tempBeside(target);
        try {
            writeNew(temp, content, false);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The marker {@code name} (checked by the caller), or empty if none or torn. */
    OptionalLong readMarker(String name) throws IOException {
        try {
            String text = Files.readString(root.resolve(MARKER_PREFIX + name),
                    StandardCharsets.US_ASCII).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty(); // never written, or torn by a power cut
        }
    }

    /** Replaces the marker {@code name} (checked by the caller) atomically. */
    void writeMarker(String name, long value) throws IOException {
        replaceAtomically(root.resolve(MARKER_PREFIX + name),
                Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** Forces a folder's entries (new names, renames) to disk. */
    static void forceFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * The HMAC secret kept in the root: read, or generated once by whichever process is first.
     * A secret shorter than 16 bytes or all zeros was torn by a crash (a power cut can leave a
     * new file empty or zero-filled): it is replaced, and the entries written under it become
     * misses.
     */
    byte[] secret() {
        Path file = root.resolve(SECRET);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    byte[] secret = Files.readAllBytes(file);
                    if (secret.length >= 16 && !allZero(secret)) {
                        return secret;
                    }
                    Path aside = tempBeside(file);
                    Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(aside);
                } catch (NoSuchFileException e) {
                    byte[] secret = new byte[32];
                    new SecureRandom().nextBytes(secret);
                    if (createDurably(file, secret)) {
                        return secret;
                    }
                }
            }
            throw new IllegalStateException("cannot read or create " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }

    static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** A unique name for something moved aside (a removed region, a lock taken over). */
    static String uniqueSuffix() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Writes {@code bytes} to a temp file and moves it over {@code file}; the old size or -1. */
    long replace(Path file, byte[] bytes, boolean fsync) throws IOException {
        Path folder = file.getParent();
        for (int attempt = 0; ; attempt++) {
            Path temp = tempBeside(file);
            try {
                ensureFolder(folder);
                writeNew(temp, bytes, fsync);
                long old = sizeOf(file);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                if (fsync) {
                    forceFolder(folder);
                }
                return old;
            } catch (NoSuchFileException e) {
                // The region was removed meanwhile (its folder moved away): make it again.
                deleteQuietly(temp);
                forgetFolders(folder);
                if (attempt == 2) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                throw e;
            }
        }
    }

    /** The size of {@code file}, or -1 if there is none. */
    static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the sweeper removes orphaned temp files
        }
    }
}
