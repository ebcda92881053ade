/** Larder's fragment cache for Thymeleaf 3.1: the {@code larder:cache} attribute. */
module io.larder.thymeleaf {
    requires transitive io.larder.core;
    requires transitive thymeleaf;

    exports io.larder.thymeleaf;
}
