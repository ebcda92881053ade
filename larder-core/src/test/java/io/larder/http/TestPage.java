package io.larder.http;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A page type as a web integration keeps one, for the core's tests of {@link PageForm}; its form
 * is a {@code io.larder.spi.ValueForm} service of the test class path.
 */
public record TestPage(int status, String contentType, Map<String, String> headers, byte[] body,
        String etag, byte[] gzip) {

    /** Copies, as the integrations' pages do. */
    public TestPage {
        headers = Map.copyOf(headers);
    }

    /** The form the standard codec finds for it. */
    public static final class Form extends PageForm<TestPage> {
        /** The form. */
        public Form() {
            super(TestPage.class);
        }

        @Override
        protected Parts parts(TestPage p) {
            return new Parts(p.status, p.contentType, p.headers, p.body, p.etag, p.gzip);
        }

        @Override
        protected TestPage page(Parts p) {
            return new TestPage(p.status(), p.contentType(), p.headers(), p.body(), p.etag(),
                    p.gzip());
        }
    }

    /** The same page under another name: stored as one, it must not read as the other. */
    public record OtherPage(int status, String contentType, Map<String, String> headers,
            byte[] body, String etag, byte[] gzip) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestPage p && status == p.status
                && Objects.equals(contentType, p.contentType) && headers.equals(p.headers)
                && Arrays.equals(body, p.body) && etag.equals(p.etag)
                && Arrays.equals(gzip, p.gzip);
    }

    @Override
    public int hashCode() {
        return etag.hashCode();
    }
}
