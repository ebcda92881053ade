/** Larder's Redis store (Lettuce), with a near cache invalidated across nodes. */
module io.larder.redis {
    requires transitive io.larder.core;
    requires lettuce.core;
    requires org.slf4j;

    exports io.larder.redis;
}
