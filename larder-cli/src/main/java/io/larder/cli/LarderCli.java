package io.larder.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code larder} command: looks after a {@code DiskStore} folder ({@code stats},
 * {@code verify}, {@code clear}) and warms a running site ({@code warm}).
 *
 * <pre>
 * java -jar larder-cli/target/larder.jar stats ./blog-data/cache
 * java -jar larder-cli/target/larder.jar verify ./blog-data/cache --remove
 * java -jar larder-cli/target/larder.jar clear ./blog-data/cache --tag posts
 * java -jar larder-cli/target/larder.jar warm --file urls.txt --concurrency 4
 * </pre>
 */
@Command(name = "larder", mixinStandardHelpOptions = true, version = "larder 0.1.0",
        description = "Look after a Larder DiskStore folder, or warm a running site.",
        subcommands = {StatsCommand.class, VerifyCommand.class, ClearCommand.class,
                WarmCommand.class})
public final class LarderCli {
    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new LarderCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The options every folder command takes. */
    static final class SecretOption {
        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "The HMAC secret the application gives Larder"
                        + " (default: the folder's own .secret).")
        Path secretFile;

        Optional<byte[]> secret() throws java.io.IOException {
            return secretFile == null ? Optional.empty()
                    : Optional.of(Files.readAllBytes(secretFile));
        }
    }
}
