package io.larder.cli;

import io.larder.store.DiskStoreCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code larder verify FOLDER [--remove]}: reads every entry whole, checks its checksum and
 * HMAC, lists the bad ones; exits 1 if any bad file is left.
 */
@Command(name = "verify",
        description = "Check every entry's header, checksum and HMAC; list or remove bad files.")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "The DiskStore folder.")
    Path folder;

    @Option(names = "--remove",
            description = "Delete the bad files (a running store would, on its next read).")
    boolean remove;

    @Mixin
    LarderCli.SecretOption secret;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DiskStoreCheck.Report report = DiskStoreCheck.of(folder, secret.secret())
                .run(System.currentTimeMillis(), true, remove);
        PrintWriter out = spec.commandLine().getOut();
        for (DiskStoreCheck.BadFile bad : report.badFiles()) {
            out.printf("%s %s %s%n", remove ? "removed" : "bad", bad.reason(), bad.file());
        }
        StatsCommand.Tables.regions(out, report, "bad");
        out.printf("%d bad file(s)%s%n", report.badFiles().size(),
                report.badFiles().isEmpty() ? ""
                        : " " + report.badByReason() + (remove ? ", removed" : ""));
        out.flush();
        return report.badFiles().isEmpty() || remove ? 0 : 1;
    }
}
