package io.larder.javalin;

import io.javalin.http.Context;
import io.larder.Larder;
import io.larder.http.TagHeader;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The settings of a {@link LarderPlugin}, validated by {@link LarderPlugin.Config}. */
record PluginSettings(Larder larder, String region, Predicate<Context> anonymous,
        List<String> languages, boolean serverTiming, int warmConcurrency,
        double warmPerSecond, boolean warmInBackground, Duration warmTimeout,
        Duration renderTimeout, List<Consumer<RequestTiming>> listeners,
        String cacheControl, boolean fastPath, TagHeader tagHeader, int warmUpRequests,
        Duration warmUpTime) {

    /** The languages, or one {@code null} language when none are configured. */
    List<String> languagesOrNone() {
        return languages.isEmpty() ? Collections.singletonList(null) : languages;
    }
}
