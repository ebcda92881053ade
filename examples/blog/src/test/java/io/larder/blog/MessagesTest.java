package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.blog.web.Langs;
import io.larder.blog.web.Messages;
import org.junit.jupiter.api.Test;

/** The blog's message bundles: every language loads, and counts follow its plural rules. */
class MessagesTest {
    @Test
    void counts_followEachLanguagesPluralRules() {
        assertThat(Messages.of("en").text("comments", 0)).isEqualTo("0 comments");
        assertThat(Messages.of("en").text("comments", 1)).isEqualTo("1 comment");
        assertThat(Messages.of("en").text("comments", 2)).isEqualTo("2 comments");
        assertThat(Messages.of("de").text("comments", 1)).isEqualTo("1 Kommentar");
        assertThat(Messages.of("de").text("comments", 10)).isEqualTo("10 Kommentare");
        // French: 0 and 1 take the singular
        assertThat(Messages.of("fr").text("comments", 0)).isEqualTo("0 commentaire");
        assertThat(Messages.of("fr").text("comments", 1)).isEqualTo("1 commentaire");
        assertThat(Messages.of("fr").text("comments", 2)).isEqualTo("2 commentaires");
        assertThat(Messages.of("es").text("comments", 0)).isEqualTo("0 comentarios");
        assertThat(Messages.of("es").text("comments", 1)).isEqualTo("1 comentario");
        assertThat(Messages.of("es").text("comments", 1_000_000))
                .isEqualTo("1.000.000 de comentarios");
    }

    @Test
    void everyLanguage_hasEveryMessage() {
        for (String lang : Langs.ALL) {
            assertThat(Messages.of(lang).text("list.pageOf", 2, 30)).contains("2", "30");
            assertThat(Messages.of(lang).text("side.recent")).isNotBlank();
        }
        assertThatThrownBy(() -> Messages.of("xx")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Messages.of("en").text("no.such.key"))
                .hasMessageContaining("no.such.key");
    }

    @Test
    void acceptLanguage_picksTheBrowsersLanguage_elseEnglish() {
        assertThat(Langs.preferred("de-CH, de;q=0.9, en;q=0.5")).isEqualTo("de");
        assertThat(Langs.preferred("ja, fr;q=0.2")).isEqualTo("fr");
        assertThat(Langs.preferred("de;q=0, es;q=0.1")).isEqualTo("es");
        assertThat(Langs.preferred("ja")).isEqualTo("en");
        assertThat(Langs.preferred("*")).isEqualTo("en");
        assertThat(Langs.preferred(";;q=x")).isEqualTo("en");
        assertThat(Langs.preferred(null)).isEqualTo("en");
        assertThat(Langs.ofPath("/de/post/x")).isEqualTo("de");
        assertThat(Langs.ofPath("/xx/")).isEqualTo("en");
        assertThat(Langs.ofPath("/admin")).isEqualTo("en");
    }
}
