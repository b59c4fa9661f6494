package dev.bantam.cli;

import dev.bantam.onnx.BantamVersion;
import dev.bantam.runtime.RunLimit;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bantam} command. Only this class exits the JVM; everything else returns exit codes.
 * Exit codes: 0 success, 1 bad input or failed operation, 2 wrong usage.
 */
@Command(name = "bantam", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Makes ONNX models smaller and faster, and measures what they kept.",
        subcommands = {InspectCommand.class, ConvertCommand.class, CompressCommand.class, OptimizeCommand.class, QuantizeCommand.class, ShareWeightsCommand.class, FactorizeCommand.class, PruneCommand.class, DistillCommand.class, FineTuneCommand.class, DropLayersCommand.class, QuantizeWeightsCommand.class, HalfPrecisionCommand.class, EvalCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(IsolatedRun.applies(args) ? runIsolated(err, args) : run(out, err, args));
    }

    /** Runs a command that uses ONNX Runtime in a child JVM, so a native crash is one line and exit code 1. */
    private static int runIsolated(PrintWriter err, String... args) {
        try {
            return IsolatedRun.run(err, args);
        } catch (java.io.IOException e) {
            err.println("bantam: cannot start a child JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bantam: interrupted");
        }
        return 1;
    }

    /** Runs the CLI in this process with the given streams and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err);
        String limit = System.getenv("BANTAM_RUN_LIMIT");
        if (limit != null) {
            try {
                RunLimit.set(RunLimit.parse(limit), "set BANTAM_RUN_LIMIT");
            } catch (IllegalArgumentException e) {
                err.println("bantam: BANTAM_RUN_LIMIT: " + e.getMessage());
                err.flush();
                return 2;
            }
        } else {
            RunLimit.set(RunLimit.DEFAULT, "set BANTAM_RUN_LIMIT (e.g. 30m)");
        }
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            err.println("bantam: " + ErrorHandler.message(e));
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            }
            code = 1;
        }
        out.flush();
        err.flush();
        return code;
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("bantam: " + ex.getMessage());
            err.println("Run 'bantam " + (ex.getCommandLine().getCommandName().equals("bantam") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bantam " + BantamVersion.get() + " (Java " + Runtime.version() + ")"};
        }
    }
}
