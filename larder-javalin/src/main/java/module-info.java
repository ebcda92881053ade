/** Larder for Javalin: the page cache, warming, {@code Server-Timing}, dashboard and metrics. */
module io.larder.javalin {
    requires transitive io.larder.core;
    requires transitive io.javalin;
    requires jakarta.servlet;
    requires java.net.http;
    requires org.eclipse.jetty.server;
    requires static micrometer.core;

    exports io.larder.javalin;
    // Pages and re-render answers cross processes as JSON.
    opens io.larder.javalin to com.fasterxml.jackson.databind;
}
