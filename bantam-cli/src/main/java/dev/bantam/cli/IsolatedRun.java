package dev.bantam.cli;

import dev.bantam.runtime.isolate.ChildJvm;
import dev.bantam.runtime.isolate.NativeCrashException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs a command that uses ONNX Runtime in a child JVM ({@link ChildJvm}), so that a crash in native code becomes
 * one line naming the signal and the models, exit code 1, with no output half-written and no temporary file left.
 * Every command but those in {@link #IN_PROCESS} runs ONNX Runtime (the model-changing ones count MACs with it, and
 * calibrate, score and load-check through it). {@code BANTAM_ISOLATE=0} runs everything in one process.
 */
final class IsolatedRun {

    /** Commands that never start ONNX Runtime. */
    static final Set<String> IN_PROCESS = Set.of("inspect", "convert", "help");

    private final List<String> args;
    private final List<Path> models;
    private final List<Path> outputs;
    private final boolean verbose;

    private IsolatedRun(List<String> args, List<Path> models, List<Path> outputs, boolean verbose) {
        this.args = args;
        this.models = models;
        this.outputs = outputs;
        this.verbose = verbose;
    }

    /** Whether this process should hand ONNX Runtime work to a child: not in a child, and not turned off. */
    static boolean wanted() {
        return !ChildJvm.isChild() && !"0".equals(System.getenv("BANTAM_ISOLATE"));
    }

    /**
     * The isolated run of {@code args}, or empty when they are better handled in this process: a command that does
     * not run ONNX Runtime, a request for help or the version, or wrong usage (reported as usual).
     */
    static Optional<IsolatedRun> of(CommandLine cl, String... args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
        if (!parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
            return Optional.empty();
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (IN_PROCESS.contains(sub.commandSpec().name()) || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
            return Optional.empty();
        }
        List<Path> models = new ArrayList<>();
        addPaths(models, sub.matchedOptionValue("--model", null));
        addPaths(models, sub.matchedOptionValue("--reference", null));
        sub.matchedPositionals().forEach(p -> addPaths(models, p.getValue()));
        List<Path> outputs = new ArrayList<>();
        for (String o : List.of("--output", "--json", "--html")) {
            addPaths(outputs, sub.matchedOptionValue(o, null));
        }
        return Optional.of(new IsolatedRun(List.of(args), models, outputs, sub.hasMatchedOption("--verbose")));
    }

    private static void addPaths(List<Path> to, Object value) {
        if (value instanceof Path p) {
            to.add(p);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> addPaths(to, v));
        }
    }

    /** Runs the command in a child and returns its exit code; a crash is reported on {@code err} and returns 1. */
    int run(PrintWriter err) throws java.io.IOException, InterruptedException {
        OutputSnapshot before = new OutputSnapshot(outputs);
        err.flush();
        try {
            return ChildJvm.run(Main.class.getName(),
                    List.of("-D" + ProgressBar.TERMINAL_PROPERTY + "=" + ProgressBar.interactive()), args, System.out);
        } catch (NativeCrashException e) {
            before.removeNewTemps();
            // a progress bar the crash interrupted is cleared, so the message has the line to itself
            err.println((ProgressBar.interactive() ? "\r\033[K" : "") + "bantam: " + message(e, models, before.written()));
            if (verbose) {
                e.frame().ifPresent(f -> err.println("bantam: the JVM saw the crash at " + f
                        + " (in a child JVM; BANTAM_ISOLATE=0 runs in one process)"));
            }
            err.flush();
            return 1;
        }
    }

    static String message(NativeCrashException e, List<Path> models, List<Path> written) {
        String what;
        if (!e.isCrash()) {
            what = "the process running " + names(models) + " was killed (" + e.signal()
                    + (e.signal().equals("SIGKILL") ? ", perhaps for lack of memory)" : ")");
        } else {
            String lib = e.library().orElse("");
            what = (lib.isEmpty() || lib.contains("onnxruntime") ? "ONNX Runtime crashed (" + e.signal() + ")"
                    : "native code crashed (" + e.signal() + " in " + lib + ")") + " while running " + names(models);
        }
        return what + (written.isEmpty() ? "; nothing was written"
                : "; " + names(written) + (written.size() == 1 ? " was" : " were") + " written before the crash");
    }

    private static String names(List<Path> paths) {
        if (paths.isEmpty()) {
            return "the model";
        }
        List<String> s = paths.stream().map(Path::toString).distinct().toList();
        return s.size() == 1 ? s.get(0)
                : String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
    }
}
