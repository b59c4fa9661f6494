package dev.bantam.cli;

import dev.bantam.compress.prune.ChannelSpace;
import dev.bantam.compress.prune.Importance;
import dev.bantam.compress.prune.PruneConfig;
import dev.bantam.compress.prune.SparsityConfig;
import dev.bantam.compress.prune.SparsityMethod;
import dev.bantam.compress.prune.StructuredPruning;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.eval.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Structured pruning: channels removed physically from every layer that makes or reads them, "
                + "across residual Adds, Concats and Flattens (a recipe of one prune-channels step).",
            "--explain lists the model's channel spaces (what must lose the same channels) and why some are frozen, "
                + "and writes nothing."})
final class PruneCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The input .onnx model.")
    Path in;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "The output .onnx file (not with --explain).")
    Path out;

    @Option(names = "--explain", description = "List the channel spaces, their members and sizes, and why each frozen "
            + "one is frozen; write nothing.")
    boolean explain;

    @Option(names = "--method", defaultValue = "channels", paramLabel = "METHOD",
            description = "channels (structured: channels removed physically), or unstructured weight sparsity by "
                    + "magnitude, wanda or sparsegpt (zeros, shapes kept; default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--sparsity", paramLabel = "S", description = "Unstructured: fraction of each layer's weights set "
            + "to zero (default 0.5).")
    Double sparsity;

    @Option(names = "--pattern", paramLabel = "N:M", description = "Unstructured: at most N non-zeros in every M "
            + "consecutive weights along the inputs, e.g. 2:4.")
    String pattern;

    @Option(names = "--global", description = "Magnitude: one threshold over all layers (LAMP scores) instead of the "
            + "same sparsity per layer.")
    boolean global;

    @Option(names = "--sequential", description = "Wanda, SparseGPT: read the layers' inputs stage by stage on the model "
            + "with the earlier layers pruned (one calibration run per stage) instead of in one run of the unpruned model.")
    boolean sequential;

    @Option(names = "--dense", description = "Unstructured: keep the pruned weights dense (by default each is stored "
            + "as a sparse initializer where that is smaller).")
    boolean dense;

    @Option(names = "--ratio", defaultValue = "0.3", paramLabel = "R",
            description = "Fraction of each space's channels to remove (default: ${DEFAULT-VALUE}).")
    double ratio;

    @Option(names = "--importance", defaultValue = "l1", paramLabel = "CRITERION",
            description = "l1 or l2 magnitude of every slice of a channel, summed over its space (default: ${DEFAULT-VALUE}).")
    String importance;

    @Option(names = "--multiple", defaultValue = "16", paramLabel = "M",
            description = "Channels kept per space rounded up to a multiple of M: ONNX Runtime's convolutions run other "
                    + "widths slower (default: ${DEFAULT-VALUE}).")
    int multiple;

    @Option(names = "--mac-reduction", paramLabel = "F", description = "Instead of --ratio: remove this fraction of the "
            + "MACs, the spaces losing --multiple channels at a time, each step the one costing the least accuracy per MAC "
            + "saved on held-out items (the end of --data, or --eval-data).")
    Double macReduction;

    @Option(names = "--score-items", defaultValue = "512", paramLabel = "N",
            description = "With --mac-reduction: held-out items each candidate is scored on (default: ${DEFAULT-VALUE}).")
    int scoreItems;

    @Option(names = "--max-space-ratio", defaultValue = "0.9", paramLabel = "R",
            description = "No space loses more than this fraction of its channels (default: ${DEFAULT-VALUE}).")
    double maxSpaceRatio;

    @Option(names = "--data", paramLabel = "SPEC", description = "Calibration data the layers reading removed channels "
            + "are refit on (least squares against their original outputs).")
    String data;

    @Option(names = "--no-refit", description = "Do not refit: the kept weights stay as they were (no data needed).")
    boolean noRefit;

    @Option(names = "--bias-compensation", description = "With refit: also move the change of each reader's output mean "
            + "(what the removed channels carried) into its bias.")
    boolean biasCompensation;

    @Option(names = "--calibration-samples", defaultValue = "512", paramLabel = "N",
            description = "Refit: calibration items (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data the result is evaluated on "
            + "against the input.")
    String evalData;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Mixin
    ScopeOptions scopeOptions;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        if (!method.equalsIgnoreCase("channels")) {
            return unstructured();
        }
        PruneConfig d = PruneConfig.defaults();
        PruneConfig config = new PruneConfig(scopeOptions.scope(d.scope()), ratio, Importance.parse(importance), multiple, maxSpaceRatio, !noRefit,
                new dev.bantam.compress.CalibrationSettings(samples, d.calibration().batchSize()), d.damping(),
                macReduction, scoreItems, biasCompensation);
        if (macReduction != null && data == null && evalData == null) {
            throw new IllegalArgumentException("--mac-reduction scores candidates on data: give --data SPEC (held-out "
                    + "items are taken from its end) or --eval-data SPEC");
        }
        if (!explain && !noRefit && data == null) {
            throw new IllegalArgumentException("prune refits the layers reading removed channels on --data SPEC "
                    + "(calibration data); give it, or --no-refit");
        }
        if (explain) {
            if (out != null) {
                throw new IllegalArgumentException("--explain writes nothing: leave out -o");
            }
            Model m = ModelIO.load(in);
            explain(StructuredPruning.spaces(m, config.scope()), spec.commandLine().getOut(), verboseOption.verbose);
            return 0;
        }
        return run(config, noRefit ? null : data);
    }

    private int run(dev.bantam.compress.TechniqueConfig config, String calibration) throws Exception {
        if (out == null) {
            throw new IllegalArgumentException("prune needs -o OUT (or --explain to list the channel spaces)");
        }
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(in, out, calibration, evalData,
                Task.parse(task), 32, reports.json, reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** --method magnitude|wanda|sparsegpt: the prune-weights technique. */
    private int unstructured() throws Exception {
        if (explain) {
            throw new IllegalArgumentException("--explain lists channel spaces: it goes with --method channels");
        }
        SparsityMethod m = SparsityMethod.parse(method);
        SparsityConfig c = SparsityConfig.defaults();
        c = c.withScope(scopeOptions.scope(c.scope())).withMethod(m).withGlobal(global).withSparseStorage(!dense)
                .withSequential(sequential)
                .withCalibration(new dev.bantam.compress.CalibrationSettings(samples, 16));
        if (pattern != null) {
            String[] nm = pattern.split(":");
            if (nm.length != 2) {
                throw new IllegalArgumentException("--pattern must be N:M, e.g. 2:4, not '" + pattern + "'");
            }
            try {
                c = c.withPattern(Integer.parseInt(nm[0].trim()), Integer.parseInt(nm[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--pattern must be N:M with whole numbers, e.g. 2:4, not '" + pattern + "'");
            }
            if (sparsity != null) {
                c = c.withSparsity(sparsity);
            }
        } else if (sparsity != null) {
            c = c.withSparsity(sparsity);
        }
        if (m.needsData() && data == null) {
            throw new IllegalArgumentException(m.label() + " reads the layers' inputs on --data SPEC (calibration data); "
                    + "magnitude needs none");
        }
        return run(c, m.needsData() ? data : null);
    }

    /** One block per space: size, producers, slices (all with --verbose), and the frozen reasons. */
    static void explain(List<ChannelSpace> spaces, PrintWriter w, boolean verbose) {
        long prunable = spaces.stream().filter(ChannelSpace::prunable).count();
        w.printf("%d channel spaces: %d can lose channels, %d frozen%n", spaces.size(), prunable, spaces.size() - prunable);
        for (ChannelSpace s : spaces) {
            w.printf("space %d: %d channels, %s, %d slices%s%n", s.id(), s.size(), String.join(", ", s.producers()),
                    s.slots().size(), s.prunable() ? "" : "  FROZEN");
            s.frozen().forEach(r -> w.printf("    frozen: %s%n", r));
            s.slots().stream().limit(verbose ? Long.MAX_VALUE : 6).forEach(sl -> w.printf("    %s %s[axis %d%s] of %s%n",
                    sl.producer() ? "makes" : "reads", sl.tensor(), sl.axis(), sl.offset() == 0 && sl.block() == 1 ? ""
                            : ", offset " + sl.offset() + ", block " + sl.block(), sl.node().displayName()));
            if (!verbose && s.slots().size() > 6) {
                w.printf("    (%d more with --verbose)%n", s.slots().size() - 6);
            }
        }
        w.flush();
    }
}
