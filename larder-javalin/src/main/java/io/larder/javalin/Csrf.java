package io.larder.javalin;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for the dashboard's forms: a random id in an HttpOnly, SameSite=Strict cookie, and
 * in each form the HMAC of that id under a secret only this dashboard knows (a signed double
 * submit: a page on another site can neither read the cookie nor compute the token).
 */
final class Csrf {
    static final String COOKIE = "larder_dashboard_csrf";
    static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret = new byte[32];
    private final String cookiePath;

    Csrf(String cookiePath) {
        RANDOM.nextBytes(secret);
        this.cookiePath = cookiePath;
    }

    /** The token for this request's forms; sets the cookie if the browser has none. */
    String token(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (!wellFormed(id)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ctx.res().addHeader("Set-Cookie", COOKIE + "=" + id + "; Path=" + cookiePath
                    + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
        }
        return sign(id);
    }

    /** Whether the request's form carries the token of the request's cookie. */
    boolean valid(Context ctx) {
        String id = ctx.cookie(COOKIE);
        String token = ctx.formParam(FIELD);
        if (!wellFormed(id) || token == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(id).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean wellFormed(String id) {
        return id != null && id.length() == 43 && id.matches("[A-Za-z0-9_-]+");
    }

    private String sign(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
