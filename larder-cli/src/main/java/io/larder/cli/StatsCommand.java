package io.larder.cli;

import io.larder.store.DiskStoreCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code larder stats FOLDER}: entries, bytes, expired and unreadable files per region. */
@Command(name = "stats", description = "Entries, bytes, expired and unreadable files per region.")
final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "The DiskStore folder.")
    Path folder;

    @Mixin
    LarderCli.SecretOption secret;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DiskStoreCheck.Report report = DiskStoreCheck.of(folder, secret.secret())
                .run(System.currentTimeMillis(), false, false);
        Tables.regions(spec.commandLine().getOut(), report, "unreadable");
        return 0;
    }

    /** The table both stats and verify print. */
    static final class Tables {
        private Tables() {
        }

        static void regions(PrintWriter out, DiskStoreCheck.Report report, String badLabel) {
            out.printf("%-24s %10s %14s %10s %12s%n",
                    "region", "entries", "bytes", "expired", badLabel);
            long entries = 0;
            long bytes = 0;
            long expired = 0;
            long bad = 0;
            for (DiskStoreCheck.RegionReport r : report.regions()) {
                out.printf("%-24s %10d %14d %10d %12d%n",
                        r.region(), r.entries(), r.bytes(), r.expired(), r.bad());
                entries += r.entries();
                bytes += r.bytes();
                expired += r.expired();
                bad += r.bad();
            }
            out.printf("%-24s %10d %14d %10d %12d%n", "total", entries, bytes, expired, bad);
            out.flush();
        }
    }
}
