package io.larder.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The advisor's accounting over generated requests: span trees as one thread records them
 * (children end, and are recorded, before their parents), spans recorded late (their end read a
 * moment after their duration, as on a busy machine), and spans that overlap others without
 * nesting or come from other threads, anywhere in the request or past its ends. However the
 * spans fall, no instant of a request is charged twice: the shares of a route never sum past 1.
 */
class AdvisorProperties {
    /** One generated time unit, in nanoseconds. */
    private static final long UNIT = 1_000;

    /** One step of a thread's work: open a span, close the innermost open one, or let time pass. */
    sealed interface Step permits Open, Close, Gap { }

    record Open(String kind, String name, String outcome, boolean inLoad) implements Step { }

    record Close() implements Step { }

    record Gap(int units) implements Step { }

    /** A span from elsewhere: overlapping what it likes, at {@code position} in the list. */
    record Loose(Open what, int startUnits, int lengthUnits, int position) { }

    /** One request: its total time and the spans its trace holds. */
    record Request(long totalNanos, List<Trace.Span> spans) { }

    @Provide
    Arbitrary<List<Step>> threads() {
        Arbitrary<Step> open = Combinators.combine(
                Arbitraries.of("db", "template", "data", "render", "fragment", "cache"),
                Arbitraries.of("a", "b", "c"), Arbitraries.of("miss", "hit", ""),
                Arbitraries.of(false, false, false, true)).as(Open::new);
        Arbitrary<Step> close = Arbitraries.just(new Close());
        Arbitrary<Step> gap = Arbitraries.integers().between(0, 40).map(Gap::new);
        return Arbitraries.frequencyOf(Tuple.of(3, open), Tuple.of(3, close), Tuple.of(3, gap))
                .list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Loose>> loose() {
        Arbitrary<Open> what = Combinators.combine(Arbitraries.of("db", "data", "render"),
                Arbitraries.of("x", "y"), Arbitraries.of(""), Arbitraries.of(false))
                .as(Open::new);
        return Combinators.combine(what, Arbitraries.integers().between(-100, 600),
                Arbitraries.integers().between(0, 400), Arbitraries.integers().between(0, 1_000))
                .as(Loose::new).list().ofMaxSize(6);
    }

    /**
     * The spans that {@code steps} make on one thread, in the order it records them (a span when
     * it ends), each with its time less that of the spans directly within it.
     */
    static Request thread(List<Step> steps, List<Long> ownTimes) {
        List<Trace.Span> spans = new ArrayList<>();
        Deque<Open> open = new ArrayDeque<>();
        Deque<long[]> frames = new ArrayDeque<>(); // start, time of direct children
        long now = 0;
        for (Step step : steps) {
            if (step instanceof Gap gap) {
                now += gap.units() * UNIT;
            } else if (step instanceof Open o) {
                open.push(o);
                frames.push(new long[] {now, 0});
            } else if (!open.isEmpty()) {
                close(spans, ownTimes, open, frames, now);
            }
        }
        while (!open.isEmpty()) {
            close(spans, ownTimes, open, frames, now);
        }
        return new Request(now, spans);
    }

    private static void close(List<Trace.Span> spans, List<Long> ownTimes, Deque<Open> open,
            Deque<long[]> frames, long now) {
        long[] frame = frames.pop();
        Trace.Span span = span(open.pop(), frame[0], now);
        spans.add(span);
        ownTimes.add(span.nanos() - frame[1]);
        if (!frames.isEmpty()) {
            frames.peek()[1] += span.nanos();
        }
    }

    /**
     * The request that {@code steps} make on one thread, its spans recorded {@code delays} late
     * in turn, with {@code loose} spans among them, and {@code tail} units after the last step.
     */
    static Request request(List<Step> steps, List<Integer> delays, List<Loose> loose, int tail) {
        Request thread = thread(steps, new ArrayList<>());
        List<Trace.Span> spans = new ArrayList<>(thread.spans());
        for (int i = 0; i < spans.size() && !delays.isEmpty(); i++) {
            Trace.Span s = spans.get(i);
            long late = delays.get(i % delays.size()) * UNIT;
            spans.set(i, new Trace.Span(s.kind(), s.name(), s.outcome(), s.nanos(), s.inLoad(),
                    s.endNanos() + late));
        }
        for (Loose l : loose) {
            long start = l.startUnits() * UNIT;
            spans.add(l.position() % (spans.size() + 1),
                    span(l.what(), start, start + l.lengthUnits() * UNIT));
        }
        return new Request(thread.totalNanos() + tail * UNIT, spans);
    }

    private static Trace.Span span(Open o, long start, long end) {
        return new Trace.Span(o.kind(), o.name(), o.outcome(), end - start, o.inLoad(), end);
    }

    @Property(tries = 2_000)
    void sharesOfARoute_neverSumPastOne(@ForAll("threads") List<Step> steps,
            @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 30) Integer> delays,
            @ForAll("loose") List<Loose> loose, @ForAll @IntRange(min = 1, max = 100) int tail,
            @ForAll @IntRange(min = 1, max = 3) int times) {
        Request request = request(steps, delays, loose, tail);
        Advisor advisor = Advisor.sampling(1);

        for (int i = 0; i < times; i++) {
            advisor.record("/", request.totalNanos(), request.spans());
        }

        List<Advisor.Finding> findings = advisor.findings(Integer.MAX_VALUE);
        assertThat(findings).allSatisfy(f -> assertThat(f.shareOfRoute()).isBetween(0.0, 1.0));
        assertThat(findings.stream().mapToDouble(Advisor.Finding::shareOfRoute).sum())
                .as("shares of %s", request).isLessThanOrEqualTo(1.0 + 1e-9);
    }

    @Property(tries = 1_000)
    void nestedSpansOfOneThread_areEachChargedTheirTimeLessTheSpansDirectlyWithinThem(
            @ForAll("threads") List<Step> steps) {
        List<Long> ownTimes = new ArrayList<>();
        Request request = thread(steps, ownTimes);

        long[] self = Advisor.selfTimes(request.spans(), request.totalNanos());

        assertThat(self).containsExactly(ownTimes.stream().mapToLong(Long::longValue).toArray());
    }

    @Property(tries = 2_000)
    void everyInstantInTheRequest_isChargedOnce_toASpanRunningThen(
            @ForAll("threads") List<Step> steps,
            @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 30) Integer> delays,
            @ForAll("loose") List<Loose> loose, @ForAll @IntRange(min = 0, max = 100) int tail) {
        Request request = request(steps, delays, loose, tail);
        long total = request.totalNanos();

        long[] self = Advisor.selfTimes(request.spans(), total);

        List<long[]> within = new ArrayList<>();
        for (int i = 0; i < self.length; i++) {
            Trace.Span span = request.spans().get(i);
            long start = Math.min(Math.max(0, span.startNanos()), total);
            long end = Math.min(Math.max(start, span.endNanos()), total);
            assertThat(self[i]).as("span %d of %s", i, request).isBetween(0L, end - start);
            within.add(new long[] {start, end});
        }
        assertThat(LongStream.of(self).sum()).as("the time of %s", request)
                .isEqualTo(covered(within));
    }

    /** How much of the time line the intervals cover, each instant once. */
    private static long covered(List<long[]> intervals) {
        intervals.sort(Comparator.comparingLong(i -> i[0]));
        long covered = 0;
        long reached = Long.MIN_VALUE;
        for (long[] interval : intervals) {
            long from = Math.max(interval[0], reached);
            if (interval[1] > from) {
                covered += interval[1] - from;
                reached = interval[1];
            }
        }
        return covered;
    }
}
