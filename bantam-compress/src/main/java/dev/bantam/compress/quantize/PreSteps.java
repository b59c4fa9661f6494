package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassFailedException;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What static quantization does to a model first, with the optimizer's passes: raise the opset to 13
 * (per-channel QuantizeLinear/DequantizeLinear; when a node cannot be converted, the model keeps its own opset from
 * 10 on and its weights are quantized per tensor), move Constant-node weights into initializers, fold
 * constants and BatchNormalization into the preceding Conv, infer types, and clean up.
 */
final class PreSteps {

    static final long MIN_OPSET = 13;
    /** The first opset with QuantizeLinear and DequantizeLinear (per tensor only). */
    static final long QDQ_OPSET = 10;

    private PreSteps() {
    }

    static List<String> run(Model model) {
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        List<Pass> passes = new ArrayList<>();
        List<String> basic = Optimizer.pipeline(Optimizer.Level.BASIC).stream().map(Pass::name).toList();
        Optimizer.catalog().forEach((name, pass) -> {
            if (basic.contains(name) || name.equals("fold-batch-norm")) {
                passes.add(pass);
            }
        });
        List<String> notes = new ArrayList<>();
        List<PassManager.Run> runs;
        try {
            runs = Optimizer.optimize(model, passes, Math.max(opset, MIN_OPSET));
            if (opset < MIN_OPSET) {
                notes.add("opset raised from " + opset + " to " + MIN_OPSET + " (per-channel quantization needs it)");
            }
        } catch (PassFailedException e) {
            if (!e.pass().equals("opset-upgrade") || opset < QDQ_OPSET) {
                throw e;
            }
            // the upgrade plans every node before changing any: the model is as it was
            notes.add("opset stays " + opset + ", so weights are quantized per tensor (per-channel needs opset "
                    + MIN_OPSET + "): " + e.getCause().getMessage());
            runs = Optimizer.optimize(model, passes);
        }
        for (PassManager.Run r : runs) {
            if (r.changed() && !r.pass().equals("opset-upgrade") && !r.pass().equals("shape-inference")) {
                notes.add(String.format(Locale.ROOT, "pre-step %s: %s", r.pass(),
                        r.notes().isEmpty() ? "changed" : String.join("; ", r.notes())));
            }
        }
        return notes;
    }
}
