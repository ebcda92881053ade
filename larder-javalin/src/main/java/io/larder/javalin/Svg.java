package io.larder.javalin;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Line charts drawn as inline SVG on the server: no script, no library, works offline. */
final class Svg {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
        "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 180;
    /** The least room left of the y axis; more when its longest label needs it. */
    private static final int MIN_LEFT = 48;
    private static final double FONT_PX = 11; // .axis text in DashboardPage's style
    private static final int RIGHT = 8;
    private static final int TOP = 8;
    private static final int BOTTOM = 22;

    private Svg() {
    }

    /**
     * A line chart of {@code series} (name to one value per point, {@code NaN} for none) over
     * {@code points} x positions labelled {@code first} and {@code last}; {@code max} fixes the
     * y axis' top (or 0 to fit the data). Series names are escaped.
     */
    static String lines(String title, String unit, int points, Map<String, double[]> series,
            double max, String first, String last) {
        double top = max > 0 ? max : fit(series);
        String[] labels = {label(0, unit), label(top / 2, unit), label(top, unit)};
        int left = MIN_LEFT;
        for (String label : labels) {
            left = Math.max(left, (int) Math.ceil(width(label)) + 8);
        }
        StringBuilder svg = new StringBuilder(2048);
        svg.append("<figure><figcaption>").append(Html.escape(title)).append("</figcaption>")
                .append("<svg role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\"><title>")
                .append(Html.escape(title)).append("</title>");
        axes(svg, left, top, labels, first, last);
        if (points == 0 || series.isEmpty()) {
            svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" class=\"none\">no data yet</text>");
        }
        int color = 0;
        for (Map.Entry<String, double[]> line : series.entrySet()) {
            String stroke = COLORS[color++ % COLORS.length];
            String drawn = points(line.getValue(), points, left, top);
            if (drawn.isEmpty()) {
                continue;
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(stroke)
                    .append("\" points=\"").append(drawn)
                    .append("\"><title>").append(Html.escape(line.getKey()))
                    .append("</title></polyline>");
        }
        svg.append("</svg>");
        legend(svg, List.copyOf(series.keySet()));
        return svg.append("</figure>").toString();
    }

    /** The y axis labelled 0, half of {@code top} and {@code top}; the x axis, first and last. */
    private static void axes(StringBuilder svg, int left, double top, String[] labels,
            String first, String last) {
        int bottom = HEIGHT - BOTTOM;
        svg.append("<g class=\"axis\"><line x1=\"").append(left).append("\" y1=\"").append(TOP)
                .append("\" x2=\"").append(left).append("\" y2=\"").append(bottom)
                .append("\"/><line x1=\"").append(left).append("\" y1=\"").append(bottom)
                .append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(bottom)
                .append("\"/>");
        for (int i = 0; i < labels.length; i++) {
            double y = y(top * i / (labels.length - 1), top);
            svg.append("<text x=\"").append(left - 4).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(Html.escape(labels[i]))
                    .append("</text>");
        }
        svg.append("<text x=\"").append(left).append("\" y=\"").append(HEIGHT - 6).append("\">")
                .append(Html.escape(first)).append("</text><text x=\"").append(WIDTH - RIGHT)
                .append("\" y=\"").append(HEIGHT - 6).append("\" text-anchor=\"end\">")
                .append(Html.escape(last)).append("</text></g>");
    }

    private static void legend(StringBuilder svg, List<String> names) {
        svg.append("<ul class=\"legend\">");
        for (int i = 0; i < names.size(); i++) {
            svg.append("<li><span style=\"background:").append(COLORS[i % COLORS.length])
                    .append("\"></span>").append(Html.escape(names.get(i))).append("</li>");
        }
        svg.append("</ul>");
    }

    private static String points(double[] values, int points, int left, double top) {
        StringBuilder out = new StringBuilder();
        double step = points <= 1 ? 0 : (double) (WIDTH - left - RIGHT) / (points - 1);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                double x = points <= 1 ? left + (WIDTH - left - RIGHT) / 2.0 : left + i * step;
                out.append(fmt(x)).append(',').append(fmt(y(values[i], top))).append(' ');
            }
        }
        return out.toString().trim();
    }

    private static double y(double value, double top) {
        double clamped = Math.max(0, Math.min(value, top));
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - clamped / top);
    }

    /** A round top for the y axis (1, 2, 2.5 or 5 times a power of ten) above the data. */
    static double fit(Map<String, double[]> series) {
        double max = 0;
        for (double[] values : series.values()) {
            for (double v : values) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        if (max <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max * 1.05)));
        for (double step : new double[] {1, 2, 2.5, 5}) {
            if (step * power >= max * 1.05) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** A y axis label: a percentage, or the value in full (up to four digits) and its unit. */
    static String label(double value, String unit) {
        if (unit.equals("%")) {
            return String.format(Locale.ROOT, "%.0f%%", value * 100);
        }
        return BigDecimal.valueOf(value).round(new MathContext(4)).stripTrailingZeros()
                .toPlainString() + unit;
    }

    /**
     * A generous estimate of a label's width in pixels in the axis font: digits and punctuation
     * take at most two thirds of an em in common sans-serif fonts, letters and signs about one.
     */
    static double width(String label) {
        double em = 0;
        for (char c : label.toCharArray()) {
            em += Character.isDigit(c) || c == '.' || c == ',' || c == ' ' || c == '-' ? 0.66 : 1;
        }
        return em * FONT_PX;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
