package io.larder.spring.boot.autoconfigure.web;

import io.larder.servlet.PageCacheFilter;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Starts the auto-configured {@link PageCacheFilter} (the {@code larderPageCacheFilter}
 * registration) when the application's web server has started: background renders go to
 * {@code larder.web.page.render-origin}, by default {@code http://127.0.0.1:<port>} (or
 * {@code server.address}), and the start waits up to {@code larder.web.page.warm-wait} for the
 * warm pages, so that a readiness probe passes once they are stored.
 */
public final class LarderPageCacheStart implements ApplicationListener<WebServerInitializedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(LarderPageCacheStart.class);

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a management server's, not the application's
        }
        ApplicationContext context = event.getApplicationContext();
        PageCacheFilter filter = LarderWebAutoConfiguration.pageFilter(context).orElse(null);
        if (filter == null) {
            return;
        }
        Binder binder = Binder.get(context.getEnvironment());
        LarderWebProperties.Page page = binder.bindOrCreate("larder.web",
                LarderWebProperties.class).getPage();
        URI origin = page.getRenderOrigin();
        if (origin == null) {
            String address = context.getEnvironment().getProperty("server.address");
            String host = address == null || address.isBlank() || address.equals("0.0.0.0")
                    || address.equals("::") ? "127.0.0.1" : address;
            host = host.contains(":") ? "[" + host + "]" : host;
            origin = URI.create("http://" + host + ":" + event.getWebServer().getPort());
        }
        filter.start(origin);
        Duration wait = page.getWarmWait();
        if (wait != null && !wait.isZero() && !wait.isNegative()) {
            try {
                if (!filter.awaitWarm(wait)) {
                    LOG.warn("warming pages did not finish within {}; it goes on in the"
                            + " background", wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
