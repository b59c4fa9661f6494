package dev.bantam.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives one data-spec case through {@code eval} (and, on a fraction, static quantization calibrated on it) with
 * the same checks as model cases: exit code, no stack trace, inputs unchanged, outputs valid and alone.
 */
public final class SpecCaseRunner {

    static final double QUANTIZE_FRACTION = 0.25;

    private final Consumer<String> phase;

    public SpecCaseRunner(Consumer<String> phase) {
        this.phase = phase;
    }

    public List<Finding> run(SpecCase c, Path caseDir) throws IOException {
        Path model = Files.createDirectories(caseDir.resolve("in")).resolve(ModelCase.MODEL);
        Files.write(model, SpecModels.of(c.model()));
        String spec = c.writeTo(caseDir.resolve("data"));
        Rng r = new Rng(c.seed() ^ 0x2545F4914F6CDD1DL);
        CaseChecks checks = new CaseChecks("spec", c.seed(), caseDir, phase);
        List<Finding> f = new ArrayList<>();
        checks.command(f, null, "eval", "--model", model.toString(), "--data", spec, "--task",
                r.pickOf("raw", "classify", "embed"), "--batch", Integer.toString(r.pickOf(1, 4, 32)), "--threads", "1",
                "--quiet");
        if (r.chance(QUANTIZE_FRACTION)) {
            checks.command(f, "out-quantize", "quantize", model.toString(), "-o", "OUT", "--mode=static",
                    "--calibration-data=" + spec);
        }
        return f;
    }
}
