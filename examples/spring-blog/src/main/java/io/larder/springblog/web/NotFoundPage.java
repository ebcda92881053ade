package io.larder.springblog.web;

import io.larder.blog.web.Langs;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The 404 page in the language of the path asked for ({@code /de/post/nope}: "Seite nicht
 * gefunden"): the servlet container's error page for a 404 (see {@link WebSetup}), which
 * {@link NotFoundFilter} sends for a {@link io.larder.blog.web.NotFoundException}.
 */
@Controller
class NotFoundPage {
    static final String PATH = "/not-found";

    @RequestMapping(PATH)
    String notFound(HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        model.addAttribute("status", 404);
        model.addAttribute("lang", Langs.ofPath(uri == null ? null : uri.toString()));
        return "error";
    }
}
