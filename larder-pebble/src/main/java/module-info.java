/** Larder's {@code {% cache %}} tag for Pebble templates. */
module io.larder.pebble {
    requires transitive io.larder.core;
    requires transitive io.pebbletemplates;

    exports io.larder.pebble;
}
