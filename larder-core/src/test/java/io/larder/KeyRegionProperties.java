package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Key#checkRegion} accepts exactly the names of its documented rule, written here as the
 * regular expression it replaced: 1-64 of {@code [A-Za-z0-9._-]}, starting with a letter or digit.
 */
class KeyRegionProperties {
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Property(tries = 5_000)
    void checkRegion_acceptsExactlyTheDocumentedNames(@ForAll("names") String name) {
        boolean accepted;
        try {
            accepted = Key.checkRegion(name).equals(name);
        } catch (IllegalArgumentException e) {
            accepted = false;
        }
        assertThat(accepted).as("'%s'", name).isEqualTo(RULE.matcher(name).matches());
    }

    @Provide
    Arbitrary<String> names() {
        // Mostly allowed characters, with the boundaries around them, separators and non-ASCII.
        return Arbitraries.strings().withChars("azAZ09._-/\\ @`[{:\u00e9\u0660\u212a")
                .ofMinLength(0).ofMaxLength(70);
    }
}
