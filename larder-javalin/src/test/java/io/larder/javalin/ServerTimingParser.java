package io.larder.javalin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Server-Timing grammar (W3C Server Timing): metrics separated by commas,
 * each a token with {@code ;name=value} parameters, values tokens or quoted strings. Throws on
 * anything else, so a test that parses a header proves it is well formed.
 */
final class ServerTimingParser {
    private ServerTimingParser() {
    }

    static Map<String, Map<String, String>> parse(String header) {
        Map<String, Map<String, String>> metrics = new LinkedHashMap<>();
        for (String metric : split(header, ',')) {
            List<String> parts = split(metric, ';');
            String name = parts.get(0).trim();
            requireToken(name, header);
            Map<String, String> params = new LinkedHashMap<>();
            for (String param : parts.subList(1, parts.size())) {
                int eq = param.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("parameter without value in " + header);
                }
                String key = param.substring(0, eq).trim();
                String value = param.substring(eq + 1).trim();
                requireToken(key, header);
                if (value.startsWith("\"")) {
                    if (value.length() < 2 || !value.endsWith("\"")) {
                        throw new IllegalArgumentException("bad quoted string in " + header);
                    }
                    value = value.substring(1, value.length() - 1);
                } else {
                    requireToken(value, header);
                }
                if (key.equals("dur")) {
                    Double.parseDouble(value);
                }
                params.put(key, value);
            }
            if (metrics.put(name, params) != null) {
                throw new IllegalArgumentException("metric " + name + " twice in " + header);
            }
        }
        return metrics;
    }

    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in " + s);
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static void requireToken(String s, String header) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c > 32 && c < 127
                && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("'" + s + "' is not a token in " + header);
        }
    }
}
