package io.larder.blog.web;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The date formats pages show; both query implementations use them. */
public final class Dates {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Dates() {
    }

    /** {@code yyyy-MM-dd}. */
    public static String day(LocalDateTime time) {
        return DAY.format(time);
    }

    /** {@code yyyy-MM-dd HH:mm}. */
    public static String minute(LocalDateTime time) {
        return MINUTE.format(time);
    }
}
