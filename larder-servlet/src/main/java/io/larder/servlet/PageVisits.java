package io.larder.servlet;

import io.larder.LoadException;
import io.larder.Lookup;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a visitor's request gets, owned in one place: the rest of the chain when the rules or
 * the query allowlist say it bypasses the cache; else its stored page (rendered first on a miss),
 * or, when that render was refused, the response it made, for this visitor alone. Each request is
 * marked with its {@link PageCacheFilter#OUTCOME}.
 */
final class PageVisits {
    private final List<String> query;
    private final boolean stripOtherQuery;
    private final List<KeyedHeader> keyed;
    private final PageRules rules;
    private final String cacheControl;
    private final PageLoads loads;

    PageVisits(List<String> query, boolean stripOtherQuery, List<KeyedHeader> keyed,
            PageRules rules, String cacheControl, PageLoads loads) {
        this.query = List.copyOf(query);
        this.stripOtherQuery = stripOtherQuery;
        this.keyed = List.copyOf(keyed);
        this.rules = rules;
        this.cacheControl = cacheControl;
        this.loads = loads;
    }

    /** Answers a visitor's request; a render's own exception reaches the container unchanged. */
    void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Map<String, String[]> params = null;
        String bypass = rules.bypass(request);
        if (bypass == null) {
            params = RenderRequest.allowlisted(request, query);
            if (params.size() < request.getParameterMap().size() && !stripOtherQuery) {
                bypass = "a query parameter outside the allowlist";
            }
        }
        if (bypass != null) {
            request.setAttribute(PageCacheFilter.OUTCOME, "bypass");
            chain.doFilter(request, response);
            return;
        }
        RenderRequest render = new RenderRequest(request, stripOtherQuery ? params : null);
        CapturingResponse[] refused = {null};
        Lookup<CachedResponse> found;
        try {
            found = loads.lookup(request, response, chain, render,
                    PageTarget.of(request, keyed, params), refused);
        } catch (LoadException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw cause instanceof ServletException s ? s : new ServletException(cause);
        }
        if (found.value() == null) {
            request.setAttribute(PageCacheFilter.OUTCOME, "uncacheable");
            if (refused[0] != null) {
                refused[0].replay();
            }
            return;
        }
        request.setAttribute(PageCacheFilter.OUTCOME, found.outcome().traceName());
        PageSender.send(request, response, found.value(), cacheControl, keyed);
    }
}
