package io.larder.insight;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shape of a SQL statement: literals replaced by {@code ?}, lists folded, spaces collapsed. */
public final class SqlShape {
    private static final Pattern STRING = Pattern.compile("'(?:[^']|'')*'");
    private static final Pattern NUMBER =
            Pattern.compile("(?<![\\w.])-?\\d+(?:\\.\\d+)?(?![\\w.])");
    private static final Pattern LIST = Pattern.compile("\\(\\s*\\?(?:\\s*,\\s*\\?)+\\s*\\)");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern TABLE = Pattern.compile(
            "\\b(?:from|join|update|into)\\s+([A-Za-z_][\\w.]*)", Pattern.CASE_INSENSITIVE);
    /** {@code extract(year from x)}, {@code trim(both from x)}: a FROM that names no table. */
    private static final Pattern FUNCTION_FROM = Pattern.compile("\\(\\s*[\\w.]+\\s+$");
    private static final int MAX_LENGTH = 400;
    /** Shapes of the statements seen, so that a statement run again costs a lookup, not regexes. */
    private static final int MAX_KNOWN = 2048;
    private static final int MAX_KNOWN_LENGTH = 4096;
    private static final ConcurrentMap<String, String> KNOWN = new ConcurrentHashMap<>();

    private SqlShape() {
    }

    /** The shape of {@code sql}: statements that differ only in literal values share it. */
    public static String of(String sql) {
        String shape = STRING.matcher(sql).replaceAll("?");
        shape = NUMBER.matcher(shape).replaceAll("?");
        shape = LIST.matcher(shape).replaceAll("(?...)");
        shape = SPACE.matcher(shape).replaceAll(" ").trim();
        return shape.length() <= MAX_LENGTH ? shape : shape.substring(0, MAX_LENGTH - 3) + "...";
    }

    /**
     * {@link #of}, remembered for the statements seen most (prepared statements repeat the same
     * text): a bounded table, so statements with inlined literals cannot grow it without end.
     */
    static String cached(String sql) {
        String shape = KNOWN.get(sql);
        if (shape == null) {
            shape = of(sql);
            if (KNOWN.size() < MAX_KNOWN && sql.length() <= MAX_KNOWN_LENGTH) {
                KNOWN.put(sql, shape);
            }
        }
        return shape;
    }

    /** The tables a statement names after FROM, JOIN, UPDATE or INTO, in order, lower case. */
    public static Set<String> tables(String sql) {
        Set<String> tables = new LinkedHashSet<>();
        Matcher m = TABLE.matcher(sql);
        while (m.find()) {
            String table = m.group(1);
            boolean function = FUNCTION_FROM.matcher(sql.substring(Math.max(0, m.start() - 64),
                    m.start())).find();
            if (!function && !table.equalsIgnoreCase("select")) {
                tables.add(table.toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }
}
