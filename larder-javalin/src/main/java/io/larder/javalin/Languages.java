package io.larder.javalin;

import java.util.List;
import java.util.Locale;

/** The language of a request, negotiated from {@code Accept-Language} (RFC 9110 12.5.4). */
final class Languages {
    private Languages() {
    }

    /**
     * The supported language {@code acceptLanguage} prefers most (by {@code q}; a range such as
     * {@code de-AT} also matches {@code de}), or the first supported one when none matches.
     */
    static String negotiate(String acceptLanguage, List<String> supported) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return supported.get(0);
        }
        String best = null;
        double bestQ = 0;
        for (String range : acceptLanguage.split(",")) {
            String[] parts = range.trim().split(";");
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String match = match(parts[0].trim().toLowerCase(Locale.ROOT), supported);
            if (match != null && q > bestQ) {
                best = match;
                bestQ = q;
            }
        }
        return best != null ? best : supported.get(0);
    }

    private static String match(String tag, List<String> supported) {
        if (tag.equals("*")) {
            return supported.get(0);
        }
        for (String language : supported) {
            if (language.equalsIgnoreCase(tag)) {
                return language;
            }
        }
        int dash = tag.indexOf('-');
        String primary = dash < 0 ? tag : tag.substring(0, dash);
        for (String language : supported) {
            if (language.equalsIgnoreCase(primary)) {
                return language;
            }
        }
        return null;
    }
}
