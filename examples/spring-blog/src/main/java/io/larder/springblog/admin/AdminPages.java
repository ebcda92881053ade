package io.larder.springblog.admin;

import io.larder.blog.admin.Passwords;
import io.larder.blog.post.PostEditor;
import io.larder.blog.web.Langs;
import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The admin's sign-in and post edit, on examples/blog's {@link PostEditor}: a save only changes
 * the translation; larder-hibernate invalidates what showed it when the transaction commits, so
 * the next request sees the edit in every cache mode. Forms carry the session's CSRF token.
 */
@Controller
class AdminPages {
    private final AuthorRepository authors;
    private final PostEditor editor;

    AdminPages(AuthorRepository authors, PostEditor editor) {
        this.authors = authors;
        this.editor = editor;
    }

    @GetMapping("/admin/login")
    String loginForm() {
        return "admin/login";
    }

    @PostMapping("/admin/login")
    String login(@RequestParam String username, @RequestParam String password,
            HttpServletRequest request) {
        return authors.findByUsername(username)
                .filter(a -> Passwords.verify(password.toCharArray(), a.getPasswordHash()))
                .map(author -> {
                    request.getSession(true);
                    request.changeSessionId(); // no session fixation
                    request.getSession().setAttribute(AdminUser.SESSION_KEY,
                            new AdminUser(author.getDisplayName(), Passwords.token()));
                    return "redirect:/en/";
                })
                .orElse("redirect:/admin/login?failed");
    }

    @PostMapping("/admin/logout")
    String logout(@RequestParam String csrf, HttpServletRequest request) {
        signedIn(request, csrf);
        request.getSession().invalidate();
        return "redirect:/en/";
    }

    @GetMapping("/admin/posts/{id}/{lang}")
    String edit(@PathVariable long id, @PathVariable String lang, HttpServletRequest request,
            Model model) {
        Optional<AdminUser> user = AdminUser.current(request);
        if (user.isEmpty()) {
            return "redirect:/admin/login";
        }
        model.addAttribute("user", user.get());
        model.addAttribute("lang", Langs.require(lang));
        model.addAttribute("draft", editor.draft(id, lang));
        return "admin/edit";
    }

    @PostMapping("/admin/posts/{id}/{lang}")
    String save(@PathVariable long id, @PathVariable String lang, @RequestParam String csrf,
            @RequestParam String title, @RequestParam String summary,
            @RequestParam String body, HttpServletRequest request) {
        signedIn(request, csrf);
        if (title.isBlank() || title.length() > 200 || summary.length() > 4000
                || body.length() > 100_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "title (1-200), summary (<= 4000) or body (<= 100000) out of bounds");
        }
        editor.save(id, Langs.require(lang), title, summary, body);
        return "redirect:/admin/posts/" + id + "/" + lang;
    }

    /** The signed-in admin, if {@code csrf} is the session's token; else a 403. */
    private static AdminUser signedIn(HttpServletRequest request, String csrf) {
        AdminUser user = AdminUser.current(request).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.FORBIDDEN, "not signed in"));
        if (!MessageDigest.isEqual(user.csrf().getBytes(StandardCharsets.UTF_8),
                csrf.getBytes(StandardCharsets.UTF_8))) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "bad CSRF token");
        }
        return user;
    }
}
