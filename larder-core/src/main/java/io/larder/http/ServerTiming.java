package io.larder.http;

import io.larder.Trace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request's {@link Trace} spans into a {@code Server-Timing} header value, the same for
 * every web integration: {@code total}, {@code db}, {@code template} and {@code fragment}
 * (summed), then one {@code cache.<region>} per Larder region read, with its outcomes in
 * {@code desc}.
 */
public final class ServerTiming {
    private static final int MAX_REGIONS = 24;

    private ServerTiming() {
    }

    /**
     * The header value for {@code spans} of a request that has taken {@code totalNanos} so far;
     * at most 24 regions are listed.
     */
    public static String format(List<Trace.Span> spans, long totalNanos) {
        long db = 0;
        long template = 0;
        long fragment = 0;
        int dbCount = 0;
        int templateCount = 0;
        int fragmentCount = 0;
        Map<String, long[]> regions = new LinkedHashMap<>(); // nanos, hit, stale, miss
        for (Trace.Span span : spans) {
            switch (span.kind()) {
                case Trace.DB -> {
                    db += span.nanos();
                    dbCount++;
                }
                case Trace.TEMPLATE -> {
                    template += span.nanos();
                    templateCount++;
                }
                case Trace.FRAGMENT -> {
                    fragment += span.nanos();
                    fragmentCount++;
                }
                case Trace.CACHE -> {
                    long[] r = regions.get(span.name());
                    if (r == null) {
                        if (regions.size() >= MAX_REGIONS) {
                            continue;
                        }
                        r = new long[4];
                        regions.put(span.name(), r);
                    }
                    r[0] += span.nanos();
                    switch (span.outcome()) {
                        case "hit" -> r[1]++;
                        case "stale" -> r[2]++;
                        default -> r[3]++;
                    }
                }
                default -> {
                }
            }
        }
        StringBuilder sb = new StringBuilder(64 + 48 * regions.size());
        metric(sb, "total", totalNanos, null);
        metric(sb, "db", db, dbCount + (dbCount == 1 ? " query" : " queries"));
        metric(sb, "template", template, renders(templateCount));
        if (fragmentCount > 0) {
            metric(sb, "fragment", fragment, renders(fragmentCount));
        }
        regions.forEach((region, r) -> metric(sb, "cache." + region, r[0], outcomes(r)));
        return sb.toString();
    }

    /**
     * The header of a page hit answered before any application code ran (a fast path in front
     * of the routes): what {@link #format} makes of a request whose one span is the page's
     * lookup ({@code cacheMetric} is {@code cache.<region>}), in one builder, and a
     * {@code front} metric that says the fast path answered.
     */
    public static String hit(String cacheMetric, String outcome, long totalNanos) {
        StringBuilder sb = new StringBuilder(120 + cacheMetric.length());
        metric(sb, "total", totalNanos, null);
        sb.append(", db;desc=\"0 queries\";dur=0.000, template;desc=\"0 renders\";dur=0.000");
        metric(sb, cacheMetric, totalNanos, outcome);
        return sb.append(", front").toString();
    }

    private static String renders(int count) {
        return count + (count == 1 ? " render" : " renders");
    }

    private static String outcomes(long[] r) {
        StringBuilder sb = new StringBuilder();
        outcome(sb, "hit", r[1]);
        outcome(sb, "stale", r[2]);
        outcome(sb, "miss", r[3]);
        return sb.toString();
    }

    private static void outcome(StringBuilder sb, String name, long count) {
        if (count == 0) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        sb.append(name);
        if (count > 1) {
            sb.append(' ').append(count);
        }
    }

    private static void metric(StringBuilder sb, String name, long nanos, String desc) {
        if (!sb.isEmpty()) {
            sb.append(", ");
        }
        sb.append(name);
        if (desc != null) {
            sb.append(";desc=\"").append(desc).append('"');
        }
        sb.append(";dur=");
        // Milliseconds with three decimals, without Locale-dependent formatting.
        long micros = Math.max(0, nanos) / 1000;
        sb.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            sb.append(frac < 10 ? "00" : "0");
        }
        sb.append(frac);
    }
}
