package io.larder.jcache.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.jcache.spi.LarderCachingProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's second-level cache on Larder through {@code hibernate-jcache}: entities,
 * collections and query results are served from Larder in a later session, as Hibernate's own
 * statistics count them, and a committed change is seen.
 */
class SecondLevelCacheTest {
    private SessionFactory factory;
    private Statistics statistics;
    private long shelfId;

    @BeforeEach
    void open() {
        factory = new HibernatePersistenceConfiguration("l2")
                .managedClasses(Shelf.class, Book.class)
                .properties(settings())
                .createEntityManagerFactory().unwrap(SessionFactory.class);
        statistics = factory.getStatistics();
        factory.inTransaction(session -> {
            Shelf shelf = new Shelf("classics");
            session.persist(shelf);
            session.persist(new Book("Emma", shelf));
            session.persist(new Book("Middlemarch", shelf));
            shelfId = shelf.id;
        });
        factory.getCache().evictAllRegions();
        statistics.clear();
    }

    @AfterEach
    void close() {
        factory.close();
    }

    static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url",
                "jdbc:h2:mem:l2-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        settings.put("jakarta.persistence.jdbc.user", "sa");
        settings.put("jakarta.persistence.jdbc.password", "");
        settings.put("hibernate.hbm2ddl.auto", "create");
        settings.put("hibernate.cache.use_second_level_cache", "true");
        settings.put("hibernate.cache.use_query_cache", "true");
        settings.put("hibernate.cache.region.factory_class", "jcache");
        settings.put("hibernate.javax.cache.provider", LarderCachingProvider.class.getName());
        settings.put("hibernate.javax.cache.missing_cache_strategy", "create");
        settings.put("hibernate.generate_statistics", "true");
        return settings;
    }

    @Test
    void entitiesCollectionsAndQueries_areHitsInALaterSession() {
        for (int round = 0; round < 2; round++) {
            factory.inSession(session -> {
                Shelf shelf = session.find(Shelf.class, shelfId);
                assertThat(shelf.books).extracting(b -> b.title)
                        .containsExactlyInAnyOrder("Emma", "Middlemarch");
                List<Book> found = session.createSelectionQuery(
                        "from Book where title like :t", Book.class)
                        .setParameter("t", "M%").setCacheable(true).getResultList();
                assertThat(found).extracting(b -> b.title).containsExactly("Middlemarch");
            });
        }

        assertThat(statistics.getEntityStatistics(Shelf.class.getName()).getCacheHitCount())
                .isEqualTo(1);
        assertThat(statistics.getCollectionStatistics(Shelf.class.getName() + ".books")
                .getCacheHitCount()).isEqualTo(1);
        assertThat(statistics.getQueryCacheHitCount()).isEqualTo(1);
        assertThat(statistics.getEntityStatistics(Book.class.getName()).getCacheHitCount())
                .as("the books of the collection and of the query result").isGreaterThan(0);
        assertThat(statistics.getSecondLevelCachePutCount()).isGreaterThan(0);
    }

    @Test
    void committedChange_isSeenThroughTheCache() {
        factory.inSession(session -> session.find(Shelf.class, shelfId));
        factory.inTransaction(session -> session.find(Shelf.class, shelfId).name = "novels");

        String name = factory.fromSession(session -> session.find(Shelf.class, shelfId).name);

        assertThat(name).isEqualTo("novels");
    }
}
