package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.insight.Advisor;
import io.larder.spring.boot.autoconfigure.web.LarderPageWarming;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/larder}: a {@code GET} gives every region's counters, the store, the
 * invalidations the store failed to apply, the page filter's warming ({@code pageWarming}: pages,
 * warmed, failed, waiting) where {@code larder.web.page.enabled} and, where the application
 * records requests in an {@link Advisor} bean, its findings (uncached work ranked by total
 * time); a {@code POST} with
 * {@code {"tag": "post:42"}} invalidates that tag everywhere. Exposed over HTTP like any endpoint:
 * {@code management.endpoints.web.exposure.include=larder}; secure it as the other write
 * endpoints.
 */
@Endpoint(id = "larder")
public class LarderEndpoint {
    private static final int FINDINGS = 20;
    private final Larder larder;
    private final ObjectProvider<Advisor> advisor;
    private final ObjectProvider<LarderPageWarming> pageWarming;

    /** The endpoint of {@code larder}. */
    public LarderEndpoint(Larder larder, ObjectProvider<Advisor> advisor,
            ObjectProvider<LarderPageWarming> pageWarming) {
        this.larder = larder;
        this.advisor = advisor;
        this.pageWarming = pageWarming;
    }

    /** The stats, by region, the page warming and the advisor's findings. */
    @ReadOperation
    public Map<String, Object> larder() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store", larder.store().getClass().getSimpleName());
        body.put("invalidationErrors", larder.invalidationErrors());
        body.put("regions", larder.stats());
        LarderPageWarming warming = pageWarming.getIfAvailable();
        if (warming != null) {
            warming.stats().ifPresent(stats -> body.put("pageWarming", stats));
        }
        Advisor theAdvisor = advisor.getIfAvailable();
        if (theAdvisor != null) {
            body.put("findings", theAdvisor.findings(FINDINGS));
        }
        return body;
    }

    /** Invalidates {@code tag}: every entry written under it is a miss from now on. */
    @WriteOperation
    public Map<String, Object> invalidateTag(String tag) {
        larder.invalidateTag(tag);
        return Map.of("invalidated", tag);
    }
}
