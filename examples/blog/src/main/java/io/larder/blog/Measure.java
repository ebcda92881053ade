package io.larder.blog;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Measures the home page's server time per mode. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = "Median server time of the home page per mode, first hit and warm.")
final class Measure implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
