/**
 * Larder's engine: the API ({@code io.larder}), the store and codec SPI ({@code io.larder.spi}),
 * the stores ({@code io.larder.store}), the JSON codec, the insight tools, and the HTTP rules
 * that every web integration shares ({@code io.larder.http}). The engine's machinery is
 * package-private in {@code io.larder}; nothing else is exported.
 */
module io.larder.core {
    requires transitive java.sql;
    requires java.net.http;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.module.paramnames;
    requires com.github.benmanes.caffeine;
    requires transitive org.slf4j;

    exports io.larder;
    exports io.larder.codec;
    exports io.larder.http;
    exports io.larder.insight;
    exports io.larder.spi;
    exports io.larder.store;

    // Binary forms of value types (cached pages), found by the standard codec.
    uses io.larder.spi.ValueForm;
}
