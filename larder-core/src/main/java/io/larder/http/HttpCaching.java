package io.larder.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP rules a page cache applies to the pages it keeps, in one place for every web
 * integration: strong entity tags of bodies, a tag per content coding, weak comparison of
 * {@code If-None-Match} (RFC 9110 13.1.2), the weight a client gives a coding in
 * {@code Accept-Encoding} (12.5.3) and the coding it prefers, {@code Vary} lists, gzip, one
 * spelling per request path, and the URLs of pages to warm (checked, their allowlisted query
 * kept, encoded back).
 */
public final class HttpCaching {
    private static final String HEX = "0123456789ABCDEF";

    private HttpCaching() {
    }

    /** The strong entity tag of {@code body}: a quoted, URL-safe SHA-256 prefix. */
    public static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(digest, 18)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The entity tag of the {@code coding} form of the body whose tag is {@code etag}:
     * {@code "t"} becomes {@code "t-gzip"}.
     */
    public static String tagged(String etag, String coding) {
        return etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(0, etag.length() - 1) + '-' + coding + '"'
                : etag + '-' + coding;
    }

    /** Whether an {@code If-None-Match} value names {@code etag} (weak comparison, RFC 9110). */
    public static boolean matches(String ifNoneMatch, String etag) {
        String own = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(own)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The weight ({@code q}, 0 to 1) that an {@code Accept-Encoding} value gives {@code coding}:
     * its own entry, else {@code *}, else 0; {@code x-gzip} counts as {@code gzip}; a missing or
     * blank header accepts no coding.
     */
    public static double weight(String acceptEncoding, String coding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return 0;
        }
        String wanted = coding.toLowerCase(Locale.ROOT);
        double own = -1;
        double any = 0;
        for (String range : acceptEncoding.split(",")) {
            String[] parts = range.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (name.equals("x-gzip")) {
                name = "gzip";
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=") || p.startsWith("Q=")) {
                    q = q(p.substring(2));
                }
            }
            if (name.equals(wanted)) {
                own = Math.max(own, q);
            } else if (name.equals("*")) {
                any = Math.max(any, q);
            }
        }
        return own >= 0 ? own : any;
    }

    /**
     * The coding among {@code codings} that an {@code Accept-Encoding} value weighs highest, or
     * {@code null} when it accepts none of them (then the identity body is sent); on a tie the
     * one named first, so a caller lists {@code "br"} before {@code "gzip"}, as browsers expect.
     */
    public static String preferred(String acceptEncoding, String... codings) {
        String best = null;
        double bestWeight = 0;
        for (String coding : codings) {
            double w = weight(acceptEncoding, coding);
            if (w > bestWeight) {
                best = coding;
                bestWeight = w;
            }
        }
        return best;
    }

    private static double q(String value) {
        try {
            double q = Double.parseDouble(value.trim());
            return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A {@code Vary} value with {@code field} added unless {@code current} (the joined values,
     * or {@code null}) names it or is {@code *}.
     */
    public static String vary(String current, String field) {
        StringBuilder all = new StringBuilder();
        if (current != null) {
            for (String token : current.split(",")) {
                String t = token.trim();
                if (t.equalsIgnoreCase(field) || t.equals("*")) {
                    return current;
                }
                if (!t.isEmpty()) {
                    all.append(all.isEmpty() ? "" : ", ").append(t);
                }
            }
        }
        return all.append(all.isEmpty() ? "" : ", ").append(field).toString();
    }

    /** {@code body} compressed with gzip. */
    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /**
     * One spelling for every equivalent spelling of a request path (RFC 3986 6.2.2): escapes of
     * unreserved characters decoded ({@code %65n} is {@code en}), other escapes in upper case,
     * other non-ASCII and control bytes escaped. Escaped delimiters ({@code %2F}) stay escaped:
     * they differ from the raw ones. So a page has one key however a visitor spells its path,
     * and junk spellings make no new entries.
     */
    public static String canonicalPath(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escaped = b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0
                    && hex(bytes[i + 2]) >= 0;
            if (escaped) {
                b = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
                i += 2;
            }
            if (unreserved(b) || (!escaped && b > ' ' && b < 0x7f && b != '%')) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            }
        }
        return out.toString();
    }

    /**
     * Checks the URL of a page to warm and returns it: a path starting with one {@code /},
     * without spaces or control characters (a bad one fails at start-up, naming it).
     */
    public static String checkPageUrl(String url) {
        if (url == null || !url.startsWith("/") || url.startsWith("//")
                || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("a page URL must be a path starting with one '/'"
                    + " without spaces or control characters, was '" + url + "'");
        }
        return url;
    }

    /**
     * The parameters of {@code query} (a raw query string, or {@code null}) that {@code allowlist}
     * names, decoded, as {@code name=value}: by name in allowlist order, then in query order;
     * the others (junk such as {@code utm_source}) are dropped.
     */
    public static List<String> allowlistedQuery(String query, List<String> allowlist) {
        if (query == null) {
            return List.of();
        }
        Map<String, List<String>> found = new LinkedHashMap<>();
        allowlist.forEach(name -> found.putIfAbsent(name, new ArrayList<>()));
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            List<String> values = found.get(urlDecode(eq < 0 ? pair : pair.substring(0, eq)));
            if (values != null) {
                values.add(eq < 0 ? "" : urlDecode(pair.substring(eq + 1)));
            }
        }
        List<String> params = new ArrayList<>();
        found.forEach((name, values) -> values.forEach(value -> params.add(name + '=' + value)));
        return params;
    }

    /**
     * The URL a page cache requests a page by: {@code path} then {@code params} (decoded
     * {@code name=value}, as {@link #allowlistedQuery} makes them) as an encoded query.
     */
    public static String pageUrl(String path, List<String> params) {
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        for (String param : params) {
            int eq = param.indexOf('=');
            sb.append(sep).append(urlEncode(param.substring(0, eq))).append('=')
                    .append(urlEncode(param.substring(eq + 1)));
            sep = '&';
        }
        return sb.toString();
    }

    private static String urlDecode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
