/**
 * Larder's Hibernate integration: tags invalidated from committed entity changes, query results
 * tagged with what they loaded. The machinery in {@code io.larder.hibernate.internal} is not
 * exported.
 */
module io.larder.hibernate {
    requires transitive io.larder.core;
    requires transitive org.hibernate.orm.core;
    requires java.naming;
    requires jakarta.persistence;
    requires org.slf4j;

    exports io.larder.hibernate;

    provides org.hibernate.integrator.spi.Integrator
            with io.larder.hibernate.internal.LarderIntegrator;
}
