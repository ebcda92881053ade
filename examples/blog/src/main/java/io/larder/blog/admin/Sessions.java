package io.larder.blog.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions, kept in memory and named by a random token in an HttpOnly cookie. Public
 * pages only read the cookie; nothing sets a cookie on them.
 */
public final class Sessions {
    /** The session cookie's name. */
    public static final String COOKIE = "blog_session";
    private static final Duration LIFETIME = Duration.ofHours(8);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /**
     * A logged-in author's session.
     *
     * @param id the cookie's token
     * @param authorId the author's id
     * @param displayName the author's name
     * @param csrf the token every form of this session must send back
     * @param expires when the session ends
     */
    public record Session(String id, long authorId, String displayName, String csrf,
            Instant expires) { }

    /** The request's session, if its cookie names a live one. */
    public Optional<Session> current(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null || session.expires().isBefore(clock.instant())) {
            if (session != null) {
                sessions.remove(id);
            }
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Starts a new session for an author (replacing the request's) and sets its cookie. */
    public Session login(Context ctx, long authorId, String displayName) {
        current(ctx).ifPresent(old -> sessions.remove(old.id()));
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expires().isBefore(now));
        Session session = new Session(Passwords.token(), authorId, displayName,
                Passwords.token(), now.plus(LIFETIME));
        sessions.put(session.id(), session);
        ctx.header("Set-Cookie", COOKIE + "=" + session.id() + "; Path=/; Max-Age="
                + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax");
        return session;
    }

    /** Ends the request's session and clears its cookie. */
    public void logout(Context ctx) {
        current(ctx).ifPresent(s -> sessions.remove(s.id()));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    }
}
