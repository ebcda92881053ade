package io.larder.blog.web;

import io.javalin.http.Context;
import java.time.YearMonth;
import java.util.regex.Pattern;

/** Validates path parameters before anything queries or caches by them; junk is a 404. */
public final class Params {
    private static final Pattern PAGE = Pattern.compile("[1-9][0-9]{0,5}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,159}");
    private static final Pattern YEAR = Pattern.compile("(19[7-9][0-9]|2[01][0-9][0-9])");
    private static final Pattern MONTH = Pattern.compile("(0[1-9]|1[0-2])");

    private Params() {
    }

    /** The supported language in path parameter {@code lang}. */
    public static String lang(Context ctx) {
        return Langs.require(ctx.pathParam("lang"));
    }

    /** The page number in path parameter {@code n}, or 1 where the route has none. */
    public static int page(Context ctx) {
        if (!ctx.pathParamMap().containsKey("n")) {
            return 1;
        }
        return Integer.parseInt(matching(ctx.pathParam("n"), PAGE, "page"));
    }

    /** A slug in path parameter {@code name}: lower-case letters, digits and dashes. */
    public static String slug(Context ctx, String name) {
        return matching(ctx.pathParam(name), SLUG, name);
    }

    /** The month in path parameters {@code year} and {@code month}. */
    public static YearMonth month(Context ctx) {
        return YearMonth.of(Integer.parseInt(matching(ctx.pathParam("year"), YEAR, "year")),
                Integer.parseInt(matching(ctx.pathParam("month"), MONTH, "month")));
    }

    private static String matching(String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new NotFoundException("bad " + what);
        }
        return value;
    }
}
