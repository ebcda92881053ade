package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.spring.LarderCacheManager;
import io.larder.spring.boot.autoconfigure.app.NotesApp;
import io.larder.spring.boot.autoconfigure.app.NotesApp.NoteService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.core.env.Environment;

/**
 * The starter in a real application: Spring Boot on a random port, Spring Data JPA on H2 (its
 * commits invalidate through larder-hibernate), the actuator's caches, health, metrics and
 * {@code /actuator/larder} over HTTP.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:larder-boot-test;DB_CLOSE_DELAY=-1",
            "spring.jpa.hibernate.ddl-auto=create-drop",
            "larder.regions.notes.ttl=10m",
            "larder.regions.notes.stale=1m",
            "management.endpoints.web.exposure.include=health,caches,larder,metrics",
            "management.endpoint.health.show-details=always",
            "management.endpoint.larder.access=unrestricted"
        })
class LarderSpringBootTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    NoteService service;
    @Autowired
    Larder larder;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    MeterRegistry registry;
    @Autowired
    Environment environment;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")
                + path);
    }

    @Test
    void cacheable_onLarder_andAJpaCommitInvalidatesTheEntitysEntries() {
        assertThat(cacheManager).isInstanceOf(LarderCacheManager.class);
        service.add(1, "first");
        int before = service.loads();
        assertThat(service.text(1)).isEqualTo("first");
        assertThat(service.text(1)).isEqualTo("first");
        assertThat(service.loads()).isEqualTo(before + 1);

        service.edit(1, "second");
        assertThat(service.text(1)).isEqualTo("second");
        assertThat(service.loads()).isEqualTo(before + 2);
        assertThat(larder.region("notes").ttl()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void actuator_listsTheCaches_reportsHealth_andMetersPerRegion() throws Exception {
        service.add(2, "two");
        service.text(2);
        service.text(2);

        HttpResponse<String> caches = get("/actuator/caches");
        assertThat(caches.statusCode()).isEqualTo(200);
        assertThat(caches.body()).contains("\"notes\"").contains("io.larder.Larder");

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"larder\"").contains("MemoryStore");

        assertThat(registry.get("larder.gets").tag("region", "notes").tag("result", "hit")
                .functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cache.gets").tag("cache", "notes").tag("result", "hit")
                .functionCounter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void larderEndpoint_statsAndTagInvalidation() throws Exception {
        service.add(3, "three");
        service.text(3);
        int loads = service.loads();

        HttpResponse<String> stats = get("/actuator/larder");
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"notes\"").contains("\"store\":\"MemoryStore\"");

        HttpResponse<String> invalidated = postJson("/actuator/larder", "{\"tag\":\"note:3\"}");
        assertThat(invalidated.statusCode()).isEqualTo(200);
        assertThat(invalidated.body()).contains("note:3");
        service.text(3);
        assertThat(service.loads()).isEqualTo(loads + 1);
    }
}
