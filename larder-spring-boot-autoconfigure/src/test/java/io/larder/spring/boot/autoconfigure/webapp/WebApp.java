package io.larder.spring.boot.autoconfigure.webapp;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * A Spring MVC application with Thymeleaf as a user writes it, nothing of Larder's but the
 * starter and properties: a page with a {@code larder:cache} block, a page that greets its
 * visitor by the name in their session, and a login that makes the session.
 */
@SpringBootApplication
@Controller
public class WebApp {
    private final AtomicInteger renders = new AtomicInteger();
    private final AtomicInteger blocks = new AtomicInteger();
    private final AtomicInteger greets = new AtomicInteger();
    /** The version {@code /pages/version} shows; its renders. */
    public final AtomicInteger version = new AtomicInteger(1);
    public final AtomicInteger versionRenders = new AtomicInteger();

    /** Counts the renders of the cached block (called from inside it). */
    @Bean
    public AtomicInteger blockRenders() {
        return blocks;
    }

    /** How many times a controller rendered a page. */
    public int renders() {
        return renders.get();
    }

    /** How many times {@code /pages/greet} rendered. */
    public int greets() {
        return greets.get();
    }

    /** How many times the cached block rendered. */
    public int blocks() {
        return blocks.get();
    }

    @GetMapping("/fragment")
    public String fragment(Model model) {
        renders.incrementAndGet();
        model.addAttribute("title", "Fragments");
        return "web-fragment";
    }

    @GetMapping("/pages/greet")
    public String greet(HttpServletRequest request, Model model) {
        renders.incrementAndGet();
        greets.incrementAndGet();
        HttpSession session = request.getSession(false);
        Object user = session == null ? null : session.getAttribute("user");
        model.addAttribute("user", user == null ? "stranger" : user);
        return "web-greet";
    }

    @GetMapping("/pages/version")
    @ResponseBody
    public String version() {
        versionRenders.incrementAndGet();
        return "version " + version.get();
    }

    @GetMapping("/pages/cookie")
    @ResponseBody
    public String cookie(HttpServletResponse response) {
        renders.incrementAndGet();
        response.addCookie(new Cookie("seen", "1"));
        return "cookie set";
    }

    @PostMapping("/login")
    @ResponseBody
    public String login(@RequestParam String user, HttpSession session) {
        session.setAttribute("user", user);
        return "ok";
    }
}
