package io.larder.thymeleaf;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    /** Many renders of nested blocks at once: right output, no error, one body per key. */
    @Test
    void threads16Render40EnginesOfNestedBlocksAtOnce_eachInnerBodyRendersOncePerKey()
            throws Exception {
        try (Larder larder = Larder.builder().build()) {
            List<Pages> engines = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                engines.add(new Pages(larder));
            }
            String expected = new Pages(Larder.builder().build())
                    .renderUncached("deep", Map.of("depth", 9));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> renders = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (Pages pages : engines) {
                        renders.add(pool.submit(() -> pages.render("deep", Map.of("depth", 9))));
                    }
                }
                for (Future<String> render : renders) {
                    assertThat(render.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
            int bodies = engines.stream().mapToInt(p -> p.probe.count("deep")).sum();
            assertThat(bodies).isEqualTo(10);
            assertThat(larder.stats().get("fragment.deep-inner").loads()).isEqualTo(10);
        }
    }
}
