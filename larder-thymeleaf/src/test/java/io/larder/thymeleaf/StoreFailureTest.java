package io.larder.thymeleaf;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.testing.FailingStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreFailureTest {
    @Test
    void storeThatFailsEveryCall_pageStillRendersEveryBlockUncached() {
        FailingStore store = new FailingStore();
        Larder larder = Larder.builder().store(store).build();
        Pages pages = new Pages(larder);
        Map<String, Object> home = Map.of("lang", "de", "page", 1, "posts", Pages.posts("a", "b"));
        Map<String, Object> nested = Map.of("page", 1, "posts", Pages.posts("a", "b", "c"));
        String expectedHome = pages.renderUncached("home", home);
        String expectedNested = pages.renderUncached("nested", nested);

        for (int i = 0; i < 3; i++) {
            assertThat(pages.render("home", home)).isEqualTo(expectedHome);
            assertThat(pages.render("nested", nested)).isEqualTo(expectedNested);
        }

        assertThat(pages.probe.count("home-posts")).isEqualTo(1 + 3);
        assertThat(pages.probe.count("post")).isEqualTo(3 + 3 * 3);
        assertThat(store.calls()).isPositive();
        assertThat(larder.stats().get("fragment.home-posts").storeErrors()).isPositive();
    }
}
