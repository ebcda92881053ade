package io.larder.servlet;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brotli through brotli4j, an optional dependency: usable when its classes are on the class path
 * and its native library loads for this platform. Whether it is, is asked once per JVM, the first
 * time a filter wants Brotli; when it is not, that is said once at INFO and pages are stored in
 * gzip only. Only {@link Binding} names brotli4j's classes, so this class loads without them.
 */
final class Brotli {
    private static final Logger LOG = LoggerFactory.getLogger(Brotli.class);

    private Brotli() {
    }

    /** Whether brotli4j serves here; the first call logs at INFO when it does not. */
    static boolean available() {
        return Availability.REASON == null;
    }

    /** {@code body} in Brotli at {@code quality} (0 to 11), or {@code null} if that failed. */
    static byte[] compress(byte[] body, int quality) {
        try {
            return Binding.compress(body, quality);
        } catch (IOException | RuntimeException e) {
            LOG.warn("a page is stored without its Brotli form: {}", e.toString());
            return null;
        }
    }

    /** Why Brotli is off, found (and logged) once, when a filter first asks. */
    private static final class Availability {
        static final String REASON = reason();

        private static String reason() {
            String reason;
            try {
                reason = Binding.unavailability();
            } catch (LinkageError e) {
                reason = "brotli4j is not on the class path";
            }
            if (reason != null) {
                LOG.info("Brotli is off, cached pages are stored in gzip only: {}", reason);
            }
            return reason;
        }
    }

    /** The one class that names brotli4j's: loaded only when Brotli is wanted. */
    private static final class Binding {
        static String unavailability() {
            if (Brotli4jLoader.isAvailable()) {
                return null;
            }
            return "brotli4j's native library did not load ("
                    + Brotli4jLoader.getUnavailabilityCause() + ")";
        }

        static byte[] compress(byte[] body, int quality) throws IOException {
            return Encoder.compress(body, new Encoder.Parameters().setQuality(quality));
        }
    }
}
