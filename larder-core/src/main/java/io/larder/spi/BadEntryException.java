package io.larder.spi;

import java.io.IOException;

/** Bytes that are not a valid, authentic entry; the reader treats them as a miss. */
public final class BadEntryException extends IOException {
    /** Why the bytes were rejected. */
    public enum Reason {
        /** Shorter than their own header says (a torn or zero-length write). */
        TRUNCATED,
        /** Not an entry of this format at all. */
        FOREIGN,
        /** An entry of another format version. */
        VERSION,
        /** The checksum does not match: the bytes were damaged. */
        CHECKSUM,
        /**
         * The checksum matches but the HMAC does not: written without the secret, or for another
         * key.
         */
        FORGED
    }

    private final Reason reason;

    /** A rejection for {@code reason}. */
    public BadEntryException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /** Why the bytes were rejected. */
    public Reason reason() {
        return reason;
    }
}
