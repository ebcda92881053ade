/** Larder for Javalin: the page cache, warming, {@code Server-Timing}, dashboard and metrics. */
module io.larder.javalin {
    requires transitive io.larder.core;
    requires transitive io.javalin;
    requires jakarta.servlet;
    requires java.net.http;
    requires org.eclipse.jetty.server;
    requires static micrometer.core;

    exports io.larder.javalin;
    // Pages are stored in the core's binary page form; re-render answers cross processes as JSON.
    opens io.larder.javalin to com.fasterxml.jackson.databind;
    provides io.larder.spi.ValueForm with io.larder.javalin.CachedPage.Form;
}
