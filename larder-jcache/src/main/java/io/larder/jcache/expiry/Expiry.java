package io.larder.jcache.expiry;

import java.util.function.Supplier;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's {@link ExpiryPolicy} as moments: when an entry created, updated or read now expires
 * (epoch ms; {@link #NEVER} for eternal). {@code null} from the policy leaves an update's or a
 * read's expiry unchanged; a policy that throws leaves it unchanged too (a new entry then never
 * expires), and the failure is logged.
 */
public final class Expiry {
    /** The expiry of an eternal entry. */
    public static final long NEVER = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(Expiry.class);

    private final ExpiryPolicy policy;
    private final boolean tracksAccess;
    private final boolean updateIgnoresCurrent;
    private final boolean eternal;

    /** The expiry of {@code policy}. */
    public Expiry(ExpiryPolicy policy) {
        this.policy = policy;
        this.tracksAccess = !(policy instanceof EternalExpiryPolicy
                || policy instanceof CreatedExpiryPolicy || policy instanceof ModifiedExpiryPolicy);
        Class<?> type = policy.getClass();
        this.updateIgnoresCurrent = type == EternalExpiryPolicy.class
                || type == ModifiedExpiryPolicy.class || type == TouchedExpiryPolicy.class;
        this.eternal = type == EternalExpiryPolicy.class;
    }

    /**
     * Whether every entry lives forever (the JCache default): no expiry depends on the time, so
     * a write need not read the clock.
     */
    public boolean eternal() {
        return eternal;
    }

    /**
     * Whether a write's expiry never depends on the entry it replaces (the policy gives creation
     * and update the same duration): a blind write then need not read the entry first.
     */
    public boolean updateIgnoresCurrent() {
        return updateIgnoresCurrent;
    }

    /** The policy itself (closed with the cache). */
    public ExpiryPolicy policy() {
        return policy;
    }

    /** Whether a read may change an entry's expiry (known policies that never do are skipped). */
    public boolean tracksAccess() {
        return tracksAccess;
    }

    /** When an entry created at {@code now} expires; {@code now} or earlier: not stored. */
    public long created(long now) {
        if (eternal) {
            return NEVER;
        }
        return at(now, ask(policy::getExpiryForCreation), NEVER);
    }

    /** When an entry updated at {@code now} expires, given its {@code current} expiry. */
    public long updated(long now, long current) {
        return at(now, ask(policy::getExpiryForUpdate), current);
    }

    /** When an entry read at {@code now} expires, given its {@code current} expiry. */
    public long accessed(long now, long current) {
        return at(now, ask(policy::getExpiryForAccess), current);
    }

    private static Duration ask(Supplier<Duration> question) {
        try {
            return question.get();
        } catch (RuntimeException e) {
            LOG.warn("the expiry policy failed; the entry's expiry is left as it was", e);
            return null;
        }
    }

    private static long at(long now, Duration duration, long unchanged) {
        if (duration == null) {
            return unchanged;
        }
        if (duration.isEternal()) {
            return NEVER;
        }
        if (duration.isZero()) {
            return now;
        }
        long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
        long sum = now + millis;
        return ((now ^ sum) & (millis ^ sum)) < 0 ? NEVER : sum;
    }
}
