package io.larder.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The example of larder-servlet's README, as it is written there, run on a real Jetty. */
class ReadmeExampleTest {
    private static final AtomicInteger RENDERS = new AtomicInteger();

    /** The application's own servlet: here, a page that counts its renders. */
    public static final class HomeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            RENDERS.incrementAndGet();
            res.setContentType("text/html;charset=UTF-8");
            res.getWriter().print("<h1>Page " + req.getParameter("page") + "</h1>");
        }
    }

    @Test
    void theReadmeExample_servesTheSecondRequestFromTheCacheUntilItsTagIsInvalidated()
            throws Exception {
        int port = 0; // a free port
        // README: begin
        Larder larder = Larder.builder()
                .region("page", r -> r.ttl(Duration.ofMinutes(5)))
                .build();
        PageCacheFilter pages = PageCacheFilter.builder(larder)
                .tags("pages")                 // every page; plus the tags of what it read
                .query("page")                 // the only query parameter in the key
                .build();

        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        ServletContextHandler context = new ServletContextHandler();
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new ServerTimingFilter()), "/*", requests); // first
        context.addFilter(new FilterHolder(pages), "/*", requests);
        context.addServlet(new ServletHolder(new HomeServlet()), "/");
        server.setHandler(context);
        server.start();
        // README: end
        try {
            int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bound + "/?page=2&utm_source=x")).build();

            HttpResponse<String> first = client.send(get, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(first.body()).isEqualTo("<h1>Page 2</h1>");
            assertThat(second.headers().firstValue("ETag")).isPresent();
            assertThat(second.headers().firstValue("Server-Timing")).hasValueSatisfying(
                    timing -> assertThat(timing).contains("total", "cache.page;desc=\"hit\""));
            assertThat(RENDERS.get()).isEqualTo(1);

            larder.invalidateTag("pages");
            client.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(RENDERS.get()).isEqualTo(2);
        } finally {
            server.stop();
            larder.close();
        }
    }
}
