package dev.bantam.bench.fuzz;

import dev.bantam.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the bantam command in-process and keeps what it printed, its exit code, and anything it threw. */
record Cli(String command, int exit, String out, String err, Throwable thrown) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = -1;
        Throwable thrown = null;
        try {
            exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        } catch (Throwable t) {
            thrown = t;
        }
        return new Cli(args[0], exit, out.toString(), err.toString(), thrown);
    }

    boolean ok() {
        return thrown == null && exit == 0;
    }
}
