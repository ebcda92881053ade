package io.larder.jcache;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * The TCK finds the platform MBean server by its id: this builder, named by the system property
 * {@code javax.management.builder.initial}, makes one whose id is
 * {@code org.jsr107.tck.management.agentId}.
 */
public final class TckMBeanServerBuilder extends MBeanServerBuilder {
    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer,
            MBeanServerDelegate delegate) {
        return super.newMBeanServer(defaultDomain, outer, new MBeanServerDelegate() {
            @Override
            public String getMBeanServerId() {
                return System.getProperty("org.jsr107.tck.management.agentId");
            }
        });
    }
}
