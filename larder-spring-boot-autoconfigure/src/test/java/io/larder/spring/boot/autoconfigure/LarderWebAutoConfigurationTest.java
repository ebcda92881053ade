package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.servlet.PageCacheFilter;
import io.larder.servlet.ServerTimingFilter;
import io.larder.spring.boot.autoconfigure.web.LarderPageCacheCustomizer;
import io.larder.spring.boot.autoconfigure.web.LarderThymeleafAutoConfiguration;
import io.larder.spring.boot.autoconfigure.web.LarderWebAutoConfiguration;
import io.larder.thymeleaf.LarderDialect;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the web auto-configuration registers, from which properties, and that it backs off. */
class LarderWebAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LarderAutoConfiguration.class,
                    LarderWebAutoConfiguration.class, LarderThymeleafAutoConfiguration.class));

    @Test
    void defaults_dialectOnly_noFilters() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LarderDialect.class)
                    .doesNotHaveBean("larderPageCacheFilter")
                    .doesNotHaveBean("larderServerTimingFilter");
        });
    }

    @Test
    void enabled_registersBothFilters_forRequestsOnly_inOrder_withCustomizers() {
        runner.withUserConfiguration(Customizing.class)
                .withPropertyValues("larder.web.page.enabled=true",
                        "larder.web.page.query=page,lang", "larder.web.page.ttl=2m",
                        "larder.web.page.url-patterns=/posts/*",
                        "larder.web.server-timing.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    FilterRegistrationBean<?> page =
                            context.getBean("larderPageCacheFilter", FilterRegistrationBean.class);
                    FilterRegistrationBean<?> timing = context.getBean(
                            "larderServerTimingFilter", FilterRegistrationBean.class);
                    assertThat(page.getFilter()).isInstanceOf(PageCacheFilter.class);
                    assertThat(timing.getFilter()).isInstanceOf(ServerTimingFilter.class);
                    assertThat(page.getUrlPatterns()).containsExactly("/posts/*");
                    assertThat(timing.getOrder()).isLessThan(page.getOrder());
                    assertThat(context.getBean(AtomicInteger.class).get()).isEqualTo(1);
                });
    }

    @Test
    void aBadPageSetting_failsTheStart_namingIt() {
        Map.of("larder.web.page.region=no/slashes", "no/slashes",
                "larder.web.page.brotli-quality=12", "brotliQuality must be 0 to 11, was 12")
                .forEach((setting, named) -> runner.withPropertyValues(
                        "larder.web.page.enabled=true", setting).run(context -> {
                            assertThat(context).hasFailed();
                            assertThat(context.getStartupFailure()).rootCause()
                                    .hasMessageContaining(named);
                        }));
    }

    @Test
    void usersOwnBeansWin_andTheDialectCanBeTurnedOff() {
        runner.withUserConfiguration(OwnDialect.class).run(context ->
                assertThat(context.getBean(LarderDialect.class))
                        .isSameAs(context.getBean(OwnDialect.class).dialect));
        runner.withPropertyValues("larder.web.thymeleaf.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(LarderDialect.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizing {
        private final AtomicInteger calls = new AtomicInteger();

        @Bean
        AtomicInteger customizerCalls() {
            return calls;
        }

        @Bean
        LarderPageCacheCustomizer tagsFromPath() {
            return builder -> {
                calls.incrementAndGet();
                builder.tagsFrom(request -> List.of("pages"));
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDialect {
        LarderDialect dialect;

        @Bean
        LarderDialect myDialect(Larder larder) {
            dialect = LarderDialect.builder(larder).varyOnLocale(false).build();
            return dialect;
        }
    }
}
