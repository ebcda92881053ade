package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.LarderBuilder;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link Larder} of the application, from {@code larder.*} ({@link LarderProperties}); an
 * application's own {@code Larder} bean replaces it (and then the other Larder
 * auto-configurations use that one).
 */
@AutoConfiguration
@EnableConfigurationProperties(LarderProperties.class)
public class LarderAutoConfiguration {

    /** The Larder: its store, defaults and regions as configured; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Larder larder(LarderProperties properties) {
        LarderBuilder builder = Larder.builder()
                .store(LarderStores.create(properties))
                .ttl(properties.getTtl())
                .staleFor(properties.getStale());
        if (properties.getHmacSecret() != null) {
            builder.hmacSecret(properties.getHmacSecret().getBytes(StandardCharsets.UTF_8));
        }
        properties.getRegions().forEach((name, region) -> builder.region(name, r -> {
            if (region.getTtl() != null) {
                r.ttl(region.getTtl());
            }
            if (region.getStale() != null) {
                r.staleFor(region.getStale());
            }
            if (region.getEarlyRefresh() > 0) {
                r.earlyRefresh(region.getEarlyRefresh());
            }
            if (!region.getTags().isEmpty()) {
                r.tags(region.getTags().toArray(String[]::new));
            }
            if (region.getMaximumEntries() != null) {
                r.maximumEntries(region.getMaximumEntries());
            }
            if (region.getMaximumBytes() != null) {
                r.maximumBytes(region.getMaximumBytes().toBytes());
            }
        }));
        return builder.build();
    }
}
