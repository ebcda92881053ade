package io.larder.blog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what Larder logs (logger {@code io.larder}) while a test runs, so that a test can
 * count warning lines and check that each kind of failure is logged once per burst.
 */
final class LarderLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.larder");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LarderLog() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Warnings and errors logged so far. */
    List<ILoggingEvent> warnings() {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .toList();
        }
    }

    /**
     * Warning lines by kind of failure (operation and exception class, as Larder's burst log
     * tells kinds apart): a count above one means a burst was logged more than once.
     */
    Map<String, Long> linesByKind() {
        return warnings().stream().collect(Collectors.groupingBy(LarderLog::kind,
                java.util.TreeMap::new, Collectors.counting()));
    }

    private static String kind(ILoggingEvent e) {
        Object[] args = e.getArgumentArray();
        String operation = args != null && args.length > 0 ? String.valueOf(args[0])
                : e.getFormattedMessage();
        return e.getLoggerName() + ": " + operation + " | "
                + (e.getThrowableProxy() == null ? "-" : e.getThrowableProxy().getClassName());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
