package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spring.boot.autoconfigure.jcacheapp.BooksApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application that knows nothing of Larder but JSR-107 runs unchanged on
 * larder-jcache. The starter's own auto-configuration is excluded here: the application stands
 * for one that has only larder-jcache on its class path, not the starter.
 */
@SpringBootTest(classes = BooksApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.autoconfigure.exclude="
                    + "io.larder.spring.boot.autoconfigure.LarderAutoConfiguration,"
                    + "io.larder.spring.boot.autoconfigure.LarderCacheAutoConfiguration,"
                    + "io.larder.spring.boot.autoconfigure.LarderHibernateAutoConfiguration,"
                    + "io.larder.spring.boot.autoconfigure.LarderHealthAutoConfiguration,"
                    + "io.larder.spring.boot.autoconfigure.LarderMetricsAutoConfiguration,"
                    + "io.larder.spring.boot.autoconfigure.LarderEndpointAutoConfiguration",
            "spring.datasource.url=jdbc:h2:mem:larder-jcache-route;DB_CLOSE_DELAY=-1",
            "management.endpoints.web.exposure.include=caches"
        })
class JCacheStandardRouteTest {
    @Autowired
    BooksApp.Books books;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    Environment environment;

    @Test
    void standardJCacheRoute_runsOnLarderJCache_andActuatorListsItsCaches() throws Exception {
        assertThat(cacheManager).isInstanceOf(JCacheCacheManager.class);
        assertThat(((JCacheCacheManager) cacheManager).getCacheManager())
                .isInstanceOf(io.larder.jcache.CacheManagerImpl.class);

        assertThat(books.title(7)).isEqualTo("book 7");
        assertThat(books.title(7)).isEqualTo("book 7");
        assertThat(books.runs()).isEqualTo(1);

        HttpResponse<String> caches = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")
                        + "/actuator/caches")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(caches.statusCode()).isEqualTo(200);
        assertThat(caches.body()).contains("\"books\"").contains("\"authors\"");
    }
}
