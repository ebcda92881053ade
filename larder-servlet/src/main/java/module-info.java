/** Larder for Jakarta Servlet 6 containers: a page-cache filter and a Server-Timing filter. */
module io.larder.servlet {
    requires transitive io.larder.core;
    requires transitive jakarta.servlet;
    requires java.net.http;
    // Optional: pages are stored in Brotli too when it is present and its native library loads.
    requires static com.aayushatharva.brotli4j;

    exports io.larder.servlet;
    // Cached responses are stored in the core's binary page form; render answers as JSON.
    opens io.larder.servlet to com.fasterxml.jackson.databind;
    provides io.larder.spi.ValueForm with io.larder.servlet.CachedResponse.Form;
}
