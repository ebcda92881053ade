package io.larder.springblog.data;

import io.larder.Larder;
import io.larder.blog.cache.EntityTags;
import io.larder.blog.db.Database;
import io.larder.blog.post.OrmPostQueries;
import io.larder.blog.post.PostEditor;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.OrmSidebarQueries;
import io.larder.blog.sidebar.SidebarQueries;
import io.larder.blog.web.Pages;
import io.larder.insight.TimedDataSource;
import io.larder.springblog.BlogProperties;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * examples/blog's data layer on Spring's {@link DataSource} and {@link EntityManagerFactory}
 * (Flyway migrated the schema of larder-blog-common): its Hibernate queries, its post editor, its
 * public pages in the configured cache mode, and its invalidation rules ({@link EntityTags}) in
 * place of the starter's default ones, so that a committed edit invalidates what shows it.
 */
@Configuration(proxyBeanMethods = false)
public class BlogData {

    /**
     * Every statement of the pool (Hibernate's and plain JDBC's) timed into the request's
     * {@code Trace}, as in examples/blog: the {@code db} of {@code Server-Timing}.
     */
    @Bean
    static BeanPostProcessor timedDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource dataSource
                        ? TimedDataSource.wrap(dataSource) : bean;
            }
        };
    }

    /** The blog's rules instead of larder-hibernate's default entity tags. */
    @Bean
    HibernatePropertiesCustomizer larderHibernatePropertiesCustomizer(Larder larder) {
        return properties -> properties.putAll(EntityTags.settings(larder));
    }

    @Bean
    Database database(DataSource dataSource, EntityManagerFactory emf,
            DataSourceProperties source) {
        return Database.over(dataSource, emf, source.determineUrl());
    }

    @Bean
    OrmPostQueries postQueries(Database database) {
        return new OrmPostQueries(database);
    }

    @Bean
    OrmSidebarQueries sidebarQueries(Database database) {
        return new OrmSidebarQueries(database);
    }

    @Bean
    PostEditor postEditor(Database database) {
        return new PostEditor(database);
    }

    /** The public pages: plain, query-cached, or tagging the fragment or page being cached. */
    @Bean
    Pages pages(BlogProperties properties, Larder larder, PostQueries posts,
            SidebarQueries sidebar) {
        return properties.getCache().pages(larder, posts, sidebar);
    }

    /** Seeds an empty database at start (examples/blog's data set). */
    @Bean
    SeedOnStart seedOnStart(Database database, BlogProperties properties) {
        return new SeedOnStart(database, properties.getSeed());
    }
}
