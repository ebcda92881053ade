package io.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class KeyMemoTest {
    private final KeyMemo memo = new KeyMemo("posts");

    @Test
    void keptKinds_giveTheMappersKey_andTheSameInstanceNextTime() {
        for (Object springKey : List.of(7, 7L, "7", "")) {
            Key first = memo.key(springKey);
            assertThat(first).isEqualTo(KeyMapper.toKey("posts", springKey));
            assertThat(memo.key(springKey)).isSameAs(first);
        }
        assertThat(memo.key(7)).isNotEqualTo(memo.key(7L)).isNotEqualTo(memo.key("7"));
        assertThat(memo.size()).isEqualTo(4);
    }

    @Test
    void otherKinds_areMappedEveryTime_andNotKept() {
        SimpleKey compound = new SimpleKey("de", 2);
        assertThat(memo.key(compound)).isEqualTo(KeyMapper.toKey("posts", compound));
        assertThat(memo.key("x".repeat(257))).isEqualTo(KeyMapper.toKey("posts", "x".repeat(257)));
        assertThat(memo.size()).isZero();
    }

    @Test
    void aFullMemo_startsAgain_andStillGivesTheRightKeys() {
        for (int i = 0; i < 40_000; i++) {
            assertThat(memo.key(i)).isEqualTo(KeyMapper.toKey("posts", i));
        }
        assertThat(memo.size()).isBetween(1, 16_384);
        assertThat(memo.key(39_999)).isEqualTo(KeyMapper.toKey("posts", 39_999));
    }
}
