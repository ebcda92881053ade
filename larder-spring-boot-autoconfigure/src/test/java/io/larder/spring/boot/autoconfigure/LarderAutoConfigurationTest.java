package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.spring.LarderCacheManager;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LarderAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LarderAutoConfiguration.class,
                    LarderCacheAutoConfiguration.class, LarderHibernateAutoConfiguration.class,
                    LarderHealthAutoConfiguration.class, LarderMetricsAutoConfiguration.class));

    @TempDir
    Path folder;

    @Test
    void defaults_memoryStore_cacheManager_resolver_health() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Larder.class).store()).isInstanceOf(MemoryStore.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(LarderCacheManager.class);
            assertThat(context).hasSingleBean(CachingConfigurer.class)
                    .hasSingleBean(LarderHealthIndicator.class)
                    .hasSingleBean(LarderMeterBinder.class)
                    .hasSingleBean(HibernatePropertiesCustomizer.class);
        });
    }

    @Test
    void regions_fromProperties_andTheirCachesExistFromTheStart() {
        runner.withPropertyValues("larder.ttl=2m", "larder.regions.posts.ttl=10m",
                "larder.regions.posts.stale=1h", "larder.regions.posts.early-refresh=1",
                "larder.regions.posts.tags=posts,blog",
                "larder.regions.hot.maximum-entries=100").run(context -> {
            Larder larder = context.getBean(Larder.class);
            assertThat(larder.region("posts").ttl()).isEqualTo(Duration.ofMinutes(10));
            assertThat(larder.region("posts").staleFor()).isEqualTo(Duration.ofHours(1));
            assertThat(larder.region("posts").earlyRefresh()).isEqualTo(1.0);
            assertThat(larder.region("posts").tags()).containsExactlyInAnyOrder("posts", "blog");
            assertThat(larder.region("hot").maximumEntries()).hasValue(100);
            assertThat(larder.region("posts").maximumEntries()).isEmpty();
            assertThat(larder.region("other").ttl()).isEqualTo(Duration.ofMinutes(2));
            assertThat(context.getBean(CacheManager.class).getCacheNames()).contains("posts");
        });
    }

    @Test
    void fileAndTieredStores_inTheConfiguredFolder() {
        runner.withPropertyValues("larder.store=file", "larder.file.folder=" + folder,
                "larder.file.maximum-bytes=10MB", "larder.hmac-secret=0123456789abcdef0123")
                .run(context -> assertThat(context.getBean(Larder.class).store())
                        .isInstanceOf(DiskStore.class));
        runner.withPropertyValues("larder.store=tiered", "larder.file.folder=" + folder)
                .run(context -> assertThat(context.getBean(Larder.class).store())
                        .isInstanceOf(TieredStore.class));
    }

    @Test
    void backOff_theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(Larder.class)).isSameAs(OwnBeans.LARDER);
            assertThat(context.getBean(CacheManager.class))
                    .isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(context).hasSingleBean(CachingConfigurer.class)
                    .getBean(CachingConfigurer.class).isSameAs(OwnBeans.CONFIGURER);
        });
    }

    @Test
    void disabled_byProperties() {
        runner.withPropertyValues("larder.cache.enabled=false", "larder.hibernate.enabled=false",
                "management.health.larder.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(Larder.class)
                    .doesNotHaveBean(CacheManager.class)
                    .doesNotHaveBean(HibernatePropertiesCustomizer.class)
                    .doesNotHaveBean(LarderHealthIndicator.class);
        });
    }

    @Test
    void badStoreName_failsWithThePropertyInTheMessage() {
        runner.withPropertyValues("larder.store=floppy").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("floppy"));
        runner.withPropertyValues("larder.store=floppy").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("larder.store"));
    }

    @Test
    void fileStoreWithoutFolder_failsNamingTheProperty() {
        runner.withPropertyValues("larder.store=file").run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("larder.file.folder is required when larder.store is file"));
    }

    @Test
    void negativeTtl_shortSecret_badRegion_failWithClearMessages() {
        runner.withPropertyValues("larder.ttl=-1s").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("larder.ttl must be positive"));
        runner.withPropertyValues("larder.hmac-secret=short").run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("larder.hmac-secret must have at least 16 bytes"));
        runner.withPropertyValues("larder.regions.posts.stale=-5m").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("larder.regions[posts].stale must not be negative"));
        runner.withPropertyValues("larder.regions.hot.maximum-entries=10",
                "larder.regions.hot.maximum-bytes=1MB").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("not both"));
        runner.withPropertyValues("larder.store=redis").run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("larder.hmac-secret is required when larder.store is redis"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final Larder LARDER = Larder.builder().build();
        static final CachingConfigurer CONFIGURER = new CachingConfigurer() { };

        @Bean
        Larder larder() {
            return LARDER;
        }

        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }

        @Bean
        CachingConfigurer myCachingConfigurer() {
            return CONFIGURER;
        }
    }
}
