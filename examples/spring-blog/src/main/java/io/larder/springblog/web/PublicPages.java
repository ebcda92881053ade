package io.larder.springblog.web;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.web.Langs;
import io.larder.blog.web.NotFoundException;
import io.larder.blog.web.Pages;
import io.larder.blog.web.PublicPage;
import io.larder.springblog.BlogProperties;
import io.larder.springblog.admin.AdminUser;
import io.larder.thymeleaf.LarderDialect;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.DateTimeException;
import java.time.YearMonth;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * The public pages, as in examples/blog: {@code /{lang}/} and its pages, a post, a tag's and a
 * month's lists. Path parts are checked by the mappings' patterns and by the queries (unknown
 * language, tag, slug or a page past the last is a 404, never a cache entry); the data is read
 * by the template ({@code layout.html}), inside its {@code larder:cache} blocks.
 */
@Controller
class PublicPages {
    private static final String PAGE = "{n:[1-9][0-9]{0,5}}";
    private static final String SLUG = "{slug:[a-z0-9][a-z0-9-]{0,159}}";
    private static final String MONTH = "archive/{year:[0-9]{4}}/{month:[0-9]{2}}";

    private final Pages pages;
    private final boolean fragments;

    PublicPages(Pages pages, BlogProperties properties) {
        this.pages = pages;
        this.fragments = properties.getCache() == CacheMode.FRAGMENT;
    }

    /** The home of the language the browser prefers. */
    @GetMapping("/")
    ResponseEntity<Void> root(@RequestHeader(value = "Accept-Language", required = false)
            String acceptLanguage) {
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, "/" + Langs.preferred(acceptLanguage) + "/")
                .header(HttpHeaders.VARY, "Accept-Language").build();
    }

    @GetMapping({"/{lang}/", "/{lang}/page/" + PAGE})
    String home(@PathVariable String lang, @PathVariable(required = false) Integer n,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(pages.home(Langs.require(lang), n == null ? 1 : n), request, response,
                model);
    }

    @GetMapping("/{lang}/post/" + SLUG)
    String post(@PathVariable String lang, @PathVariable String slug,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(pages.post(Langs.require(lang), slug), request, response, model);
    }

    @GetMapping({"/{lang}/tag/" + SLUG, "/{lang}/tag/" + SLUG + "/page/" + PAGE})
    String tag(@PathVariable String lang, @PathVariable String slug,
            @PathVariable(required = false) Integer n, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return render(pages.tag(Langs.require(lang), slug, n == null ? 1 : n), request,
                response, model);
    }

    @GetMapping({"/{lang}/" + MONTH, "/{lang}/" + MONTH + "/page/" + PAGE})
    String month(@PathVariable String lang, @PathVariable int year, @PathVariable int month,
            @PathVariable(required = false) Integer n, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        YearMonth yearMonth;
        try {
            yearMonth = YearMonth.of(year, month);
        } catch (DateTimeException e) {
            throw new NotFoundException("no month " + year + "-" + month);
        }
        return render(pages.month(Langs.require(lang), yearMonth, n == null ? 1 : n), request,
                response, model);
    }

    /**
     * The layout with {@code page}; a signed-in admin's page shows the user bar and is marked
     * private (the page-cache filter never stores nor serves a request with a session anyway).
     */
    private String render(PublicPage page, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        model.addAttribute(LarderDialect.ENABLED_VARIABLE, fragments);
        model.addAttribute("p", page);
        model.addAttribute("lang", page.lang());
        model.addAttribute("langs", Langs.ALL);
        model.addAttribute("page", page.data());
        AdminUser.current(request).ifPresent(user -> {
            model.addAttribute("user", user);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
        });
        return "layout";
    }
}
