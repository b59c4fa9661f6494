package dev.bantam.cli;

import dev.bantam.runtime.isolate.ChildJvm;
import dev.bantam.runtime.isolate.NativeCrashException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs a command that uses ONNX Runtime in a child JVM ({@link ChildJvm}), so that a crash in native code becomes
 * one line naming the signal and the models, exit code 1, with no output half-written and no temporary file left.
 * Every command but those in {@link #IN_PROCESS} runs ONNX Runtime (the model-changing ones count MACs with it, and
 * calibrate, score and load-check through it). {@code BANTAM_ISOLATE=0} runs everything in one process.
 *
 * <p>The parent only starts the child: it parses the command line (for the models and outputs the message names)
 * only after a crash, so what isolation costs is one JVM start. Usage errors and help come from the child.
 */
final class IsolatedRun {

    /** Commands that never start ONNX Runtime. */
    static final Set<String> IN_PROCESS = Set.of("inspect", "convert", "help");

    private IsolatedRun() {
    }

    /**
     * Whether {@code args} should run in a child: a command that runs ONNX Runtime, in a process that is not a child
     * already, with isolation not turned off.
     */
    static boolean applies(String... args) {
        return args.length > 0 && !args[0].startsWith("-") && !IN_PROCESS.contains(args[0]) && !ChildJvm.isChild()
                && !"0".equals(System.getenv("BANTAM_ISOLATE"));
    }

    /** Runs the command in a child and returns its exit code; a crash is reported on {@code err} and returns 1. */
    static int run(PrintWriter err, String... args) throws java.io.IOException, InterruptedException {
        Instant start = Instant.now();
        err.flush();
        try {
            return ChildJvm.run(Main.class.getName(),
                    List.of("-D" + ProgressBar.TERMINAL_PROPERTY + "=" + ProgressBar.interactive()), List.of(args), System.out);
        } catch (NativeCrashException e) {
            CommandLine.ParseResult sub = parse(args);
            CrashLeftovers left = new CrashLeftovers(paths(sub, "--output", "--json", "--html"), start);
            left.removeTemps();
            // a progress bar the crash interrupted is cleared, so the message has the line to itself
            err.println((ProgressBar.interactive() ? "\r\033[K" : "") + "bantam: "
                    + message(e, models(sub), left.written()));
            if (sub != null && sub.hasMatchedOption("--verbose")) {
                e.frame().ifPresent(f -> err.println("bantam: the JVM saw the crash at " + f
                        + " (in a child JVM; BANTAM_ISOLATE=0 runs in one process)"));
            }
            err.flush();
            return 1;
        }
    }

    /** The subcommand's parse result (the child parsed the same arguments before it crashed), or null. */
    private static CommandLine.ParseResult parse(String... args) {
        try {
            return new CommandLine(new Main()).parseArgs(args).subcommand();
        } catch (CommandLine.PicocliException e) {
            return null;
        }
    }

    /** The models a command runs: --model, --reference and its positional files. */
    private static List<Path> models(CommandLine.ParseResult sub) {
        List<Path> models = paths(sub, "--model", "--reference");
        if (sub != null) {
            sub.matchedPositionals().forEach(p -> addPaths(models, p.getValue()));
        }
        return models;
    }

    private static List<Path> paths(CommandLine.ParseResult sub, String... options) {
        List<Path> paths = new ArrayList<>();
        if (sub != null) {
            for (String o : options) {
                addPaths(paths, sub.matchedOptionValue(o, null));
            }
        }
        return paths;
    }

    private static void addPaths(List<Path> to, Object value) {
        if (value instanceof Path p) {
            to.add(p);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> addPaths(to, v));
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
