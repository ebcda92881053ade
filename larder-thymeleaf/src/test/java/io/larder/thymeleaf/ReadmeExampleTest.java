package io.larder.thymeleaf;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.FragmentKeys;
import io.larder.Larder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templateresolver.StringTemplateResolver;

/** The example of larder-thymeleaf's README, as it is written there, run. */
class ReadmeExampleTest {
    /** A post as the page shows it. */
    public record Post(int id, String title) { }

    @Test
    void theReadmeExample_rendersOnceThenFromTheCacheUntilATagIsInvalidated() {
        List<Post> posts = List.of(new Post(1, "Hello"), new Post(2, "Tom & Jerry"));
        // README: begin
        Larder larder = Larder.builder()
                .region(FragmentKeys.region("post-list"), r -> r.ttl(Duration.ofMinutes(5)))
                .build();
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(new StringTemplateResolver()); // or your usual resolver
        engine.addDialect(LarderDialect.builder(larder).build());

        String template = """
                <ul larder:cache="post-list" larder:vary="${page}" larder:tags="'posts'">
                  <li th:each="post : ${posts}" larder:cache="post-card" larder:vary="${post.id}"
                      larder:tags="'post:' + ${post.id}" th:text="${post.title}">title</li>
                </ul>""";
        String html = engine.process(template,
                new Context(Locale.ENGLISH, Map.of("page", 1, "posts", posts)));
        // README: end

        String expected = "<ul>\n  <li>Hello</li>\n  <li>Tom &amp; Jerry</li>\n</ul>";
        assertThat(html).isEqualTo(expected);
        List<Post> edited = List.of(new Post(1, "Hello"), new Post(2, "Edited"));
        Context next = new Context(Locale.ENGLISH, Map.of("page", 1, "posts", edited));
        assertThat(engine.process(template, next)).isEqualTo(expected);

        larder.invalidateTag("post:2"); // the list read post 2's card, so it carries its tag
        assertThat(engine.process(template, next))
                .isEqualTo("<ul>\n  <li>Hello</li>\n  <li>Edited</li>\n</ul>");
        assertThat(larder.stats().get("fragment.post-card").loads()).isEqualTo(3);
        larder.close();
    }

    @Test
    void serverRelativeLinks_renderInsideABlock() {
        Larder larder = Larder.builder().build();
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(new StringTemplateResolver());
        engine.addDialect(LarderDialect.builder(larder).build());
        String template = "<a larder:cache=\"nav\" th:href=\"@{~/posts(page=${page})}\">x</a>";

        for (int i = 0; i < 2; i++) {
            assertThat(engine.process(template, new Context(Locale.ENGLISH, Map.of("page", 2))))
                    .isEqualTo("<a href=\"/posts?page=2\">x</a>");
        }
        assertThat(larder.stats().get("fragment.nav").loads()).isEqualTo(1);
        larder.close();
    }
}
