/** The {@code larder} command: stats, verify, clear and warm. */
module io.larder.cli {
    requires io.larder.core;
    requires info.picocli;
    requires java.net.http;

    exports io.larder.cli;
    opens io.larder.cli to info.picocli;
}
