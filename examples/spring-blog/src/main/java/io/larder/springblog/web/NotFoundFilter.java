package io.larder.springblog.web;

import io.larder.blog.web.NotFoundException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a {@link NotFoundException} with a 404 (the container's error page for it is
 * {@link NotFoundPage}): the template reads a page's
 * data lazily (so a cached fragment queries nothing), so an unknown slug or a page past the last
 * is found while the view renders, where Spring MVC's exception handlers do not reach; the
 * template renders to a buffer first, so nothing was sent yet. Runs inside the page-cache filter,
 * which sees a 404 and stores nothing.
 */
@Component
class NotFoundFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!notFound(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NotFoundException) {
                return true;
            }
        }
        return false;
    }
}
