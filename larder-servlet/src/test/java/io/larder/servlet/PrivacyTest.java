package io.larder.servlet;

import static io.larder.servlet.PageCacheFilterTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No byte of one visitor's personal response reaches another: each test renders a response
 * that carries a secret of its own visitor, then shows that another visitor's response and the
 * cache hold none of it.
 */
class PrivacyTest {
    private final Larder larder = Larder.builder().build();
    private final String secret = UUID.randomUUID().toString();
    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        site = new TestSite(larder, PageCacheFilter.builder(larder).ignoreCookies("consent")
                .build());
    }

    @AfterEach
    void close() throws Exception {
        site.close();
        larder.close();
    }

    @Test
    void session_aLoggedInVisitorsPageIsNeitherStoredNorServedToOthers() throws Exception {
        HttpResponse<byte[]> login = site.send("POST", "/login?user=" + secret);
        String session = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(session).startsWith("JSESSIONID=");
        assertThat(text(login)).contains(secret);

        HttpResponse<byte[]> mine = site.get("/me", "Cookie", session);
        HttpResponse<byte[]> anonymous = site.get("/me");
        HttpResponse<byte[]> mineAgain = site.get("/me", "Cookie", session);

        assertThat(text(mine)).contains("hello user " + secret);
        assertThat(text(mineAgain)).contains("hello user " + secret);
        assertThat(text(anonymous)).isEqualTo("<p>hello anonymous</p>")
                .doesNotContain(secret);
        assertThat(cached("/me")).hasValueSatisfying(
                page -> assertThat(new String(page.body())).doesNotContain(secret));
        assertThat(mine.headers().firstValue("ETag")).isEmpty();
        assertThat(site.renders("/me")).isEqualTo(3);
    }

    @Test
    void session_aRenderThatMakesASession_isNotStored() throws Exception {
        HttpResponse<byte[]> first = site.get("/login");
        HttpResponse<byte[]> second = site.get("/login");

        assertThat(first.headers().firstValue("Set-Cookie")).isPresent();
        assertThat(second.headers().firstValue("Set-Cookie")).isPresent()
                .isNotEqualTo(first.headers().firstValue("Set-Cookie"));
        assertThat(site.renders("/login")).isEqualTo(2);
        assertThat(cached("/login")).isEmpty();
    }

    @Test
    void authorization_isNeverAnsweredFromNorStoredInTheCache() throws Exception {
        HttpResponse<byte[]> anonymousFirst = site.get("/me");
        HttpResponse<byte[]> mine = site.get("/me", "Authorization", "Bearer " + secret);
        HttpResponse<byte[]> anonymousAfter = site.get("/me");

        assertThat(text(mine)).isEqualTo("<p>hello bearer " + secret + "</p>");
        assertThat(anonymousAfter.body()).isEqualTo(anonymousFirst.body());
        assertThat(text(anonymousAfter)).doesNotContain(secret);
        assertThat(site.renders("/me")).isEqualTo(2);

        larder.invalidateRegion("page");
        site.get("/me", "Authorization", "Bearer " + secret);
        assertThat(cached("/me")).isEmpty();
        assertThat(text(site.get("/me"))).doesNotContain(secret);
    }

    @Test
    void cookies_aVisitorWithACookieGetsTheirOwnPage_ignoredCookiesAreNotSeenByTheRender()
            throws Exception {
        HttpResponse<byte[]> mine = site.get("/me", "Cookie", "token=" + secret);
        HttpResponse<byte[]> anonymous = site.get("/me");
        HttpResponse<byte[]> consent = site.get("/me", "Cookie", "consent=yes");

        assertThat(text(mine)).contains("cookie token=" + secret);
        assertThat(text(anonymous)).doesNotContain(secret);
        assertThat(consent.body()).isEqualTo(anonymous.body());
        assertThat(site.renders("/me")).isEqualTo(2);
        assertThat(cached("/me")).hasValueSatisfying(
                page -> assertThat(new String(page.body())).doesNotContain(secret));
    }

    @Test
    void setCookie_aResponseThatSetsACookieGoesToItsVisitorAlone() throws Exception {
        HttpResponse<byte[]> first = site.get("/tracked");
        HttpResponse<byte[]> second = site.get("/tracked");

        String firstId = first.headers().firstValue("Set-Cookie").orElseThrow();
        String secondId = second.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(firstId).startsWith("visitor=").isNotEqualTo(secondId);
        String firstValue = firstId.substring("visitor=".length()).split(";")[0];
        assertThat(text(first)).contains(firstValue);
        assertThat(text(second)).doesNotContain(firstValue);
        assertThat(cached("/tracked")).isEmpty();
        assertThat(site.renders("/tracked")).isEqualTo(2);
    }

    @Test
    void cacheControlPrivate_isNeverStored() throws Exception {
        HttpResponse<byte[]> first = site.get("/private");
        HttpResponse<byte[]> second = site.get("/private");

        String firstSecret = text(first).substring("<p>yours ".length(), text(first).length() - 4);
        assertThat(text(second)).doesNotContain(firstSecret);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("private, max-age=60");
        assertThat(cached("/private")).isEmpty();
        assertThat(site.renders("/private")).isEqualTo(2);
    }

    private Optional<CachedResponse> cached(String path) {
        return larder.getIfPresent(Key.of("page", path), CachedResponse.class);
    }
}
