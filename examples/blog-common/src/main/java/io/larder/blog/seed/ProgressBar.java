package io.larder.blog.seed;

import java.io.PrintStream;

/** A one-line text progress bar, redrawn in place when the percentage changes. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private int shown = -1;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(long done) {
        int percent = (int) (done * 100 / total);
        if (percent == shown) {
            return;
        }
        shown = percent;
        int filled = percent * WIDTH / 100;
        out.print("\r" + String.format("%-9s", label) + " [" + "#".repeat(filled)
                + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent)
                + " " + done + "/" + total);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
