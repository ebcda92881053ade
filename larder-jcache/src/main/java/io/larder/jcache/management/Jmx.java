package io.larder.jcache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a cache's beans on the platform MBean server under the names the specification
 * gives: {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,
 * Cache=<name>}.
 */
public final class Jmx {
    /** Which of the two beans. */
    public enum Kind {
        /** The {@code CacheMXBean}. */
        CacheConfiguration,
        /** The {@code CacheStatisticsMXBean}. */
        CacheStatistics
    }

    private Jmx() {
    }

    /** Registers {@code bean} unless a bean of that name is registered already. */
    public static void register(String managerUri, String cacheName, Kind kind, Object bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(managerUri, cacheName, kind);
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (JMException e) {
            throw new CacheException("cannot register " + name, e);
        }
    }

    /** Unregisters the bean, if registered. */
    public static void unregister(String managerUri, String cacheName, Kind kind) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(managerUri, cacheName, kind);
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // not registered: nothing to do
        } catch (JMException e) {
            throw new CacheException("cannot unregister " + name, e);
        }
    }

    private static ObjectName name(String managerUri, String cacheName, Kind kind) {
        try {
            return new ObjectName("javax.cache:type=" + kind + ",CacheManager="
                    + safe(managerUri) + ",Cache=" + safe(cacheName));
        } catch (JMException e) {
            throw new CacheException(e);
        }
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll(":|=|\n|,", ".");
    }
}
