package io.larder.hibernate.internal;

import io.larder.hibernate.LarderHibernate;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.integrator.spi.Integrator;

/**
 * Installs Larder on every session factory built with {@link LarderHibernate#settings}; does
 * nothing for the others. Found by Hibernate through the service loader; not API.
 */
public final class LarderIntegrator implements Integrator {

    /** Called by the service loader. */
    public LarderIntegrator() {
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
            SessionFactoryImplementor sessionFactory) {
        Object setting = sessionFactory.getProperties().get(LarderHibernate.SETTING);
        if (setting instanceof Installation installation) {
            installation.bind(sessionFactory,
                    sessionFactory.getServiceRegistry().getService(EventListenerRegistry.class));
            sessionFactory.addObserver(installation.observer());
        }
    }
}
