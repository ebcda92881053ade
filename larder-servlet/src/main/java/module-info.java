/** Larder for Jakarta Servlet 6 containers: a page-cache filter and a Server-Timing filter. */
module io.larder.servlet {
    requires transitive io.larder.core;
    requires transitive jakarta.servlet;
    requires java.net.http;

    exports io.larder.servlet;
    // Cached responses are stored as JSON in stores that keep bytes.
    opens io.larder.servlet to com.fasterxml.jackson.databind;
}
