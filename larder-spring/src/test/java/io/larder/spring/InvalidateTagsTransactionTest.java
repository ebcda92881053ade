package io.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import io.larder.spring.Services.Catalog;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link InvalidateTags} inside a real transaction (H2, Spring's JDBC transaction manager): the
 * tags move when the transaction commits, not when the method returns, and never on a rollback.
 */
class InvalidateTagsTransactionTest {
    private final Larder larder = Larder.builder().build();
    private AnnotationConfigApplicationContext context;
    private Catalog catalog;
    private TransactionTemplate transactions;

    @BeforeEach
    void start() {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(Larder.class, () -> larder);
        context.register(Services.Config.class);
        context.refresh();
        catalog = context.getBean(Catalog.class);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:tags-tx;DB_CLOSE_DELAY=-1");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(h2));
    }

    @AfterEach
    void stop() {
        context.close();
        larder.close();
    }

    @Test
    void insideATransaction_tagsMoveWhenItCommits() {
        catalog.title(1);
        catalog.version("v2");

        transactions.executeWithoutResult(status -> {
            catalog.rename(1, "renamed");
            assertThat(catalog.title(1)).as("still cached before the commit")
                    .isEqualTo("title 1 v1");
        });

        assertThat(catalog.title(1)).isEqualTo("title 1 v2");
        assertThat(catalog.runs()).hasValue(2);
    }

    @Test
    void aRolledBackTransaction_invalidatesNothing() {
        catalog.title(1);
        catalog.version("v2");

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            catalog.rename(1, "renamed");
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(catalog.title(1)).isEqualTo("title 1 v1");
        assertThat(catalog.runs()).hasValue(1);
    }

    @Test
    void outsideATransaction_tagsMoveWhenTheMethodReturns() {
        catalog.title(1);
        catalog.version("v2");

        catalog.rename(1, "renamed");

        assertThat(catalog.title(1)).isEqualTo("title 1 v2");
    }
}
