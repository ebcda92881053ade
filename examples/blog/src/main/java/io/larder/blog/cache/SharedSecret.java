package io.larder.blog.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The HMAC secret every node of a shared (Redis) cache must agree on: {@code $LARDER_SECRET}
 * if set, else {@code <data>/redis-secret}, made once (owner-only) by the first node that
 * starts on that data folder.
 */
final class SharedSecret {
    private static final String ENV = "LARDER_SECRET";

    private SharedSecret() {
    }

    static byte[] of(Path dataDir) {
        String env = System.getenv(ENV);
        if (env != null && !env.isEmpty()) {
            byte[] secret = env.getBytes(StandardCharsets.UTF_8);
            if (secret.length < 16) {
                throw new IllegalArgumentException("$" + ENV + " must have at least 16 bytes");
            }
            return secret;
        }
        Path file = dataDir.resolve("redis-secret");
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Path temp = Files.createTempFile(dataDir, "redis-secret", ".tmp");
                try {
                    if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.setPosixFilePermissions(temp,
                                PosixFilePermissions.fromString("rw-------"));
                    }
                    Files.write(temp, secret, StandardOpenOption.WRITE);
                    Files.createLink(file, temp); // atomic: the first node's secret wins
                } catch (FileAlreadyExistsException raced) {
                    // another node made it first: use theirs
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the cache secret " + file, e);
        }
    }
}
