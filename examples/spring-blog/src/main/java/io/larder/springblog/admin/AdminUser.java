package io.larder.springblog.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.Optional;

/**
 * The signed-in admin, kept in the HTTP session: the name the pages show and the session's CSRF
 * token, which every admin form sends back.
 *
 * @param displayName the name shown in the user bar
 * @param csrf the token of this session's forms
 */
public record AdminUser(String displayName, String csrf) implements Serializable {
    static final String SESSION_KEY = "blog.admin";

    /** The admin signed in on {@code request}'s session, if any (never makes a session). */
    public static Optional<AdminUser> current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty()
                : Optional.ofNullable((AdminUser) session.getAttribute(SESSION_KEY));
    }
}
