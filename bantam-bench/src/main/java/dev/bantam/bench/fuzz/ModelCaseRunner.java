package dev.bantam.bench.fuzz;

import dev.bantam.bench.fuzz.Finding.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Drives one model case through inspect, convert, optimize and quantize in-process and checks every property:
 * exit code, no stack trace, inputs unchanged, and for each output written: nothing else left beside it, it passes
 * the checker, and (on a fraction) ONNX Runtime loads it whenever it loads the input.
 */
public final class ModelCaseRunner {

    static final double ORT_FRACTION = 0.25;
    static final double STATIC_FRACTION = 0.2;

    private final Consumer<String> phase;

    /** {@code phase} hears the name of each command before it runs (a worker reports it, so a crash is placed). */
    public ModelCaseRunner(Consumer<String> phase) {
        this.phase = phase;
    }

    public List<Finding> run(ModelCase c, Path caseDir) throws IOException {
        Path model = c.writeTo(caseDir.resolve("in"));
        Rng r = new Rng(c.seed() ^ 0x5DEECE66DL);
        CaseChecks checks = new CaseChecks("model", c.seed(), caseDir, phase);
        List<Finding> f = new ArrayList<>();
        String m = model.toString();
        checks.command(f, null, "inspect", m, r.chance(0.5) ? "--json" : "");
        checks.command(f, "out-convert", "convert", m, "-o", "OUT", r.pickOf("--inline", "--external-data=w.bin",
                "--size-threshold=" + r.pickOf(0, 16, 1024)), r.chance(0.3) ? "--size-threshold=0" : "");
        checks.command(f, "out-optimize", "optimize", m, "-o", "OUT", "--level=" + r.pickOf("basic", "extended"));
        if (r.chance(STATIC_FRACTION)) {
            if (r.chance(0.75)) { // the rewrite alone, on as little data as runs
                checks.command(f, "out-quantize", "quantize", m, "-o", "OUT", "--mode=static",
                        "--calibration-data=synthetic:" + r.pickOf(1, 2, 4), "--format=" + r.pickOf("qdq", "qoperator"),
                        "--no-guard", "--allow-slower");
            } else { // with the guards: held-out items, scored and timed candidates
                checks.command(f, "out-quantize", "quantize", m, "-o", "OUT", "--mode=static",
                        "--calibration-data=synthetic:" + r.pickOf(8, 16), "--format=" + r.pickOf("qdq", "qoperator"),
                        "--guard-items=" + r.pickOf(2, 4), "--speed-batch=" + r.pickOf(1, 4));
            }
        } else {
            checks.command(f, "out-quantize", "quantize", m, "-o", "OUT", "--mode=dynamic");
        }
        if (r.chance(ORT_FRACTION)) {
            checks.ortOutputs(f, model);
        }
        return f;
    }
}
