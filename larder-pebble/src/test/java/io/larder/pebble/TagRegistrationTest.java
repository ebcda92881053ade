package io.larder.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.tokenParser.CacheTokenParser;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins how Pebble 4.1.1 resolves two extensions that define the same tag: its
 * {@code ExtensionRegistryFactory} adds the core extension (with the built-in {@code cache}) first,
 * then user extensions in registration order, and a later token parser replaces an earlier one.
 */
class TagRegistrationTest {
    /** An extension that brings Pebble's own cache tag back. */
    static final class BuiltinCacheTag extends AbstractExtension {
        @Override
        public List<TokenParser> getTokenParsers() {
            return List.of(new CacheTokenParser());
        }
    }

    @Test
    void larderExtension_replacesTheCoreExtensionsCacheTag() {
        Larder larder = Larder.builder().build();
        Pages one = new Pages(larder);
        Pages two = new Pages(larder);

        one.render("simple.peb", Map.of("who", "a"));
        two.render("simple.peb", Map.of("who", "a"));

        // Pebble's tag keeps blocks per engine; ours in the shared Larder.
        assertThat(one.probe.count("simple") + two.probe.count("simple")).isEqualTo(1);
        assertThat(larder.stats()).containsKey("fragment.simple");
    }

    @Test
    void anExtensionRegisteredAfterLarders_winsTheCacheTag() {
        Larder larder = Larder.builder().build();
        Pages pages = new Pages(LarderExtension.builder(larder).build(), new BuiltinCacheTag());

        pages.render("simple.peb", Map.of("who", "a"));

        assertThat(pages.probe.count("simple")).isEqualTo(1);
        assertThat(larder.stats()).doesNotContainKey("fragment.simple");
    }

    @Test
    void anExtensionRegisteredBeforeLarders_loses() {
        Larder larder = Larder.builder().build();
        Pages pages = new Pages(new BuiltinCacheTag(), LarderExtension.builder(larder).build());

        pages.render("simple.peb", Map.of("who", "a"));

        assertThat(larder.stats()).containsKey("fragment.simple");
    }

    @Test
    void builtinTag_leavesItsBodyUnescapedWhereOursEscapesIt() {
        Map<String, Object> model = Map.of("html", "<b>");
        Pages builtin = new Pages();
        Pages ours = new Pages(Larder.builder().build());

        // Pebble's CacheNode.accept does not visit its body, so the autoescaper never sees it.
        assertThat(builtin.render("escape.peb", model)).startsWith("<b>|<b>|");
        assertThat(ours.render("escape.peb", model)).startsWith("&lt;b&gt;|<b>|");
    }
}
