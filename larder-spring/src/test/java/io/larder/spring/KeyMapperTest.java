package io.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class KeyMapperTest {
    record Page(String lang, int number) { }

    enum Lang { DE, EN }

    private static Key key(Object springKey) {
        return KeyMapper.toKey("posts", springKey);
    }

    @Test
    void unequalKeys_neverShareALarderKey() {
        List<Object> keys = List.of("1", 1L, 1, (short) 1, 1.0, new BigDecimal("1.0"),
                new BigDecimal("1.00"), "a,b", new SimpleKey("a", "b"), new SimpleKey("a,b"),
                new SimpleKey("a", null), new SimpleKey(null, "a"), new SimpleKey(), List.of("a", "b"),
                new Page("de", 2), new Page("de, number=2", 2), Lang.DE, "DE",
                LocalDate.of(2026, 1, 2), "2026-01-02", new SimpleKey(new Object[] {"a"}),
                new SimpleKey((Object) new String[] {"a", "b"}), Map.of("a", "b"), Set.of("a", "b"),
                "", "n", "i1", "s1", "l1", new SimpleKey((Object) null), List.of("s1"));
        Set<Key> mapped = new HashSet<>();
        for (Object k : keys) {
            mapped.add(key(k));
        }
        assertThat(mapped).hasSize(keys.size());
    }

    @Test
    void equalKeys_shareTheirLarderKey_whateverTheSetOrMapOrder() {
        assertThat(key(new SimpleKey("de", 2))).isEqualTo(key(new SimpleKey("de", 2)));
        assertThat(key(new Page("de", 2))).isEqualTo(key(new Page("de", 2)));
        Set<String> ab = new LinkedHashSet<>(List.of("a", "b"));
        Set<String> ba = new LinkedHashSet<>(List.of("b", "a"));
        assertThat(key(ab)).isEqualTo(key(ba));
        Map<String, Integer> m1 = new LinkedHashMap<>();
        m1.put("x", 1);
        m1.put("y", 2);
        Map<String, Integer> m2 = new LinkedHashMap<>();
        m2.put("y", 2);
        m2.put("x", 1);
        assertThat(key(m1)).isEqualTo(key(m2));
        assertThat(key(new SimpleKey((Object) new int[] {1, 2})))
                .isEqualTo(key(new SimpleKey((Object) new int[] {1, 2})));
    }

    @Test
    void hostileKey_becomesADigest_notAPath() {
        Key k = key("../../etc/passwd\u0000\r\nDEL *");
        assertThat(k.digest()).matches("[0-9a-f]{64}");
        assertThat(k.region()).isEqualTo("posts");
    }

    @Test
    void keyWithoutAStableForm_isRefusedClearly() {
        assertThatThrownBy(() -> key(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no stable form");
    }

    @Test
    void cyclicKey_isRefused() {
        List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> key(cycle)).isInstanceOf(IllegalArgumentException.class);
    }
}
