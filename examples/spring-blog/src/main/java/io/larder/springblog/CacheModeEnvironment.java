package io.larder.springblog;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code blog.cache=page} switch the starter's page-cache filter on
 * ({@code larder.web.page.enabled=true}), as a default that an explicit
 * {@code larder.web.page.enabled} overrides: one property chooses the mode.
 */
public class CacheModeEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment,
            SpringApplication application) {
        String mode = environment.getProperty("blog.cache", "page");
        if (mode.strip().toLowerCase(Locale.ROOT).equals("page")) {
            environment.getPropertySources().addLast(new MapPropertySource("blogCacheMode",
                    Map.of("larder.web.page.enabled", "true")));
        }
    }
}
