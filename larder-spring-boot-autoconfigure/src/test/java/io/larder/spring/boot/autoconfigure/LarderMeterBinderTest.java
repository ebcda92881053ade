package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Meters for regions known at bind time and for regions that appear later. */
class LarderMeterBinderTest {
    private final Larder larder = Larder.builder().build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        larder.close();
    }

    @Test
    void regionCreatedAfterBinding_getsItsMetersAtTheNextRead() {
        new LarderMeterBinder(larder, Set.of("configured")).bindTo(registry);
        assertThat(registry.find("larder.gets").tag("region", "configured").meters()).hasSize(3);

        larder.get(Key.of("late", 1), String.class, () -> "one"); // a cache first used now
        larder.get(Key.of("late", 1), String.class, () -> "one");
        assertThat(registry.find("larder.gets").tag("region", "late").meters()).isEmpty();

        registry.get("larder.loads").tag("region", "configured").functionCounter().count();

        assertThat(registry.get("larder.gets").tag("region", "late").tag("result", "hit")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("larder.loads").tag("region", "late").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("larder.entries").tag("region", "late").gauge().value())
                .isEqualTo(1);
        assertThat(registry.find("larder.gets").tag("region", "configured").meters()).hasSize(3);
    }

    @Test
    void twoRegistries_eachGetTheLateRegion() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        LarderMeterBinder binder = new LarderMeterBinder(larder, Set.of());
        binder.bindTo(registry);
        binder.bindTo(other);
        larder.get(Key.of("late", 1), String.class, () -> "one");

        registry.getMeters().forEach(m -> m.measure().forEach(x -> x.getValue()));
        larder.get(Key.of("later", 1), String.class, () -> "two");
        registry.getMeters().forEach(m -> m.measure().forEach(x -> x.getValue()));

        assertThat(registry.find("larder.loads").tag("region", "late").meters()).hasSize(1);
        assertThat(other.find("larder.loads").tag("region", "late").meters()).hasSize(1);
        assertThat(other.find("larder.loads").tag("region", "later").meters()).hasSize(1);
    }
}
