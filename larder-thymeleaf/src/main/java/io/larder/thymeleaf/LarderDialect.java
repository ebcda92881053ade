package io.larder.thymeleaf;

import io.larder.Larder;
import java.util.Objects;
import java.util.Set;
import org.thymeleaf.dialect.AbstractProcessorDialect;
import org.thymeleaf.processor.IProcessor;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * A Thymeleaf dialect whose {@code larder:cache} attribute keeps the rendered HTML of any element
 * (or {@code th:block}) in a {@link Larder}, with the semantics of larder-pebble's
 * {@code {% cache %}} tag:
 *
 * <pre>{@code
 * TemplateEngine engine = new TemplateEngine();
 * engine.addDialect(LarderDialect.builder(larder).build());
 * }</pre>
 *
 * <pre>{@code
 * <section larder:cache="home-posts" larder:vary="${lang}, ${page}"
 *          larder:ttl="300" larder:stale="600" larder:tags="'posts', 'lang:' + ${lang}">
 *   <article th:each="post : ${posts}" larder:cache="post-card" larder:vary="${post.id}"
 *            larder:tags="'post:' + ${post.id}" th:text="${post.title}">title</article>
 * </section>
 * }</pre>
 *
 * <p>The attribute runs after {@code th:each}, {@code th:if}, {@code th:unless},
 * {@code th:switch}/{@code th:case}, {@code th:object} and {@code th:with} of the same element
 * (so their variables may be part of the key) and before everything else on it. Rendering with
 * the variable {@link #ENABLED_VARIABLE} set to {@code false} lets Thymeleaf render every block
 * as if the attributes were not there.
 */
public final class LarderDialect extends AbstractProcessorDialect {
    /** The dialect's default prefix: {@code larder:cache}. */
    public static final String PREFIX = "larder";
    /**
     * The context variable that switches fragment caching off for one render when it is
     * {@code false} (or {@code "false"}), the same as larder-pebble's.
     */
    public static final String ENABLED_VARIABLE = "larder.fragments.enabled";
    /**
     * Within the Standard dialect's precedence (Thymeleaf orders by dialect first), after
     * th:with (600), before th:attr and the attribute setters (700+) and th:text (1300).
     */
    static final int PRECEDENCE = 650;

    private final Larder larder;
    private final boolean varyOnLocale;

    private LarderDialect(Builder builder) {
        super("Larder", PREFIX, StandardDialect.PROCESSOR_PRECEDENCE);
        this.larder = builder.larder;
        this.varyOnLocale = builder.varyOnLocale;
    }

    /** A builder for a dialect that caches in {@code larder}. */
    public static Builder builder(Larder larder) {
        return new Builder(larder);
    }

    /** The {@code cache} attribute processor (HTML and XML templates). */
    @Override
    public Set<IProcessor> getProcessors(String dialectPrefix) {
        return Set.of(
                new CacheProcessor(TemplateMode.HTML, dialectPrefix, larder, varyOnLocale),
                new CacheProcessor(TemplateMode.XML, dialectPrefix, larder, varyOnLocale));
    }

    /** Builds a {@link LarderDialect}. */
    public static final class Builder {
        private final Larder larder;
        private boolean varyOnLocale = true;
        private boolean varyOnLocaleSet;

        private Builder(Larder larder) {
            this.larder = Objects.requireNonNull(larder, "larder");
        }

        /**
         * Whether the render's locale is part of every fragment key (default {@code true}, as in
         * larder-pebble); turn it off when the vary values already say the language.
         */
        public Builder varyOnLocale(boolean varyOnLocale) {
            if (varyOnLocaleSet) {
                throw new IllegalStateException(
                        "varyOnLocale was already set to " + this.varyOnLocale);
            }
            this.varyOnLocale = varyOnLocale;
            this.varyOnLocaleSet = true;
            return this;
        }

        /** The dialect. */
        public LarderDialect build() {
            return new LarderDialect(this);
        }
    }
}
