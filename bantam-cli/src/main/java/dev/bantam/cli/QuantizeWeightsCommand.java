package dev.bantam.cli;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.compress.weightonly.WeightOnlyAlgorithm;
import dev.bantam.compress.weightonly.WeightOnlyConfig;
import dev.bantam.compress.weightonly.WeightOnlyFormat;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "quantize-weights", mixinStandardHelpOptions = true,
        description = {"Weight-only quantization in blocks (a recipe of one quantize-weight-only step): MatMul and Gemm "
                + "weights and embedding tables at 2, 3, 4 or 8 bits, a scale (and zero point) per block along the "
                + "reduction axis; activations stay float.",
            "Algorithms: rtn (default), hqq (data-free, zero points optimised), gptq and awq (need --data). Written as ONNX "
                + "Runtime's MatMulNBits / GatherBlockQuantized, or --format dequantize-linear for standard ONNX."})
final class QuantizeWeightsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--bits", defaultValue = "4", paramLabel = "B", description = "2, 3, 4 or 8 (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--block-size", defaultValue = "32", paramLabel = "N",
            description = "Weights per block, a power of two from 16 to 256 (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--symmetric", description = "No zero points: every block centred on the middle code.")
    boolean symmetric;

    @Option(names = "--algorithm", defaultValue = "rtn", paramLabel = "ALG",
            description = "rtn, hqq, gptq or awq (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--format", defaultValue = "matmul-nbits", paramLabel = "FORMAT",
            description = "matmul-nbits (ONNX Runtime's 4-bit kernels), dequantize-linear (standard ONNX, opset 21) or "
                    + "decode-at-load (standard ONNX decoded when loaded: float speed); default ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--accuracy-level", defaultValue = "4", paramLabel = "L",
            description = "MatMulNBits accuracy_level: 4 computes in int8 (fast), 0 or 1 in float (default: ${DEFAULT-VALUE}).")
    int accuracyLevel;

    @Option(names = "--no-act-order", description = "gptq: rows in their own order rather than by decreasing Hessian diagonal.")
    boolean noActOrder;

    @Option(names = "--damping", defaultValue = "0.01", paramLabel = "F",
            description = "gptq: fraction of the Hessian's mean diagonal added to it (default: ${DEFAULT-VALUE}).")
    double damping;

    @Option(names = "--data", paramLabel = "SPEC", description = "gptq, awq: calibration data for the layers' input Gram matrices.")
    String data;

    @Option(names = "--calibration-samples", defaultValue = "128", paramLabel = "N",
            description = "With --data: items to run (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Option(names = "--target-size", paramLabel = "F", description = "Mixed bit-widths: weights at F of the input's size; "
            + "each layer is scored at --bits alone on --eval-data and the most sensitive per byte raised to 8 bits.")
    Double targetSize;

    @Option(names = "--min-fidelity", paramLabel = "COS", description = "Mixed bit-widths: the least mean cosine to "
            + "the input's output on --eval-data (e.g. 0.99); the most sensitive layers per byte are raised to 8 bits "
            + "until the whole model, scored, reaches it (within --target-size when both are given).")
    Double minFidelity;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data: --target-size scores layers on "
            + "it, and the result is evaluated against the input on it.")
    String evalData;

    @Option(names = "--score-items", defaultValue = "64", paramLabel = "N",
            description = "--target-size: evaluation items each layer is scored on (default: ${DEFAULT-VALUE}).")
    int scoreItems;

    @Option(names = "--task", defaultValue = "raw", paramLabel = "TASK",
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
        WeightOnlyAlgorithm a = algorithm(algorithm);
        if (a.needsData() && data == null) {
            throw new IllegalArgumentException("--algorithm " + a.label() + " needs --data SPEC (calibration data)");
        }
        if (!a.needsData() && data != null) {
            throw new IllegalArgumentException("--data applies to --algorithm gptq or awq; " + a.label() + " needs no data");
        }
        WeightOnlyConfig d = WeightOnlyConfig.defaults();
        WeightOnlyConfig config = new WeightOnlyConfig(scopeOptions.scope(d.scope()), bits, blockSize, symmetric, a,
                format(format), accuracyLevel, !noActOrder, damping, new CalibrationSettings(calibrationSamples, 8), targetSize,
                minFidelity, scoreItems);
        if ((targetSize != null || minFidelity != null) && evalData == null) {
            throw new IllegalArgumentException((targetSize != null ? "--target-size" : "--min-fidelity")
                    + " needs --eval-data SPEC (held-out data to score each layer on)");
        }
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData, Task.parse(task), 32, reports.json,
                reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    private static WeightOnlyAlgorithm algorithm(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "rtn" -> WeightOnlyAlgorithm.RTN;
            case "hqq" -> WeightOnlyAlgorithm.HQQ;
            case "gptq" -> WeightOnlyAlgorithm.GPTQ;
            case "awq" -> WeightOnlyAlgorithm.AWQ;
            default -> throw new IllegalArgumentException("--algorithm must be rtn, hqq, gptq or awq, not '" + s + "'");
        };
    }

    private static WeightOnlyFormat format(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "matmul-nbits", "matmulnbits" -> WeightOnlyFormat.MATMUL_NBITS;
            case "dequantize-linear", "dq", "qdq" -> WeightOnlyFormat.DEQUANTIZE_LINEAR;
            case "decode-at-load" -> WeightOnlyFormat.DECODE_AT_LOAD;
            default -> throw new IllegalArgumentException("--format must be matmul-nbits, dequantize-linear or "
                    + "decode-at-load, not '" + s + "'");
        };
    }
}
