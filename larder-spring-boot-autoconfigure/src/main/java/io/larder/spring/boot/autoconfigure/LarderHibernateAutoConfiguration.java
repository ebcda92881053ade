package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.hibernate.LarderHibernate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * With Hibernate (Spring Data JPA) and larder-hibernate present, installs larder-hibernate's
 * post-commit invalidation on the application's entity manager factory: committed entity changes
 * invalidate their tags ({@code Post}, {@code Post:42}) once per transaction, entities read inside
 * a cached load tag the entry. {@code larder.hibernate.enabled=false} turns it off.
 */
@AutoConfiguration(after = LarderAutoConfiguration.class,
        beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({HibernatePropertiesCustomizer.class, LarderHibernate.class})
@ConditionalOnBean(Larder.class)
@ConditionalOnProperty(prefix = "larder.hibernate", name = "enabled", matchIfMissing = true)
public class LarderHibernateAutoConfiguration {

    /** Adds {@link LarderHibernate#settings(Larder)} to Hibernate's properties. */
    @Bean
    @ConditionalOnMissingBean(name = "larderHibernatePropertiesCustomizer")
    public HibernatePropertiesCustomizer larderHibernatePropertiesCustomizer(Larder larder) {
        return properties -> properties.putAll(LarderHibernate.settings(larder));
    }
}
