package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What static quantization does to a model first, with the optimizer's passes: raise the opset to 13
 * (per-channel QuantizeLinear/DequantizeLinear), move Constant-node weights into initializers, fold
 * constants and BatchNormalization into the preceding Conv, infer types, and clean up.
 */
final class PreSteps {

    static final long MIN_OPSET = 13;

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
        if (opset < MIN_OPSET) {
            notes.add("opset raised from " + opset + " to " + MIN_OPSET + " (per-channel quantization needs it)");
        }
        List<PassManager.Run> runs = Optimizer.optimize(model, passes, Math.max(opset, MIN_OPSET));
        for (PassManager.Run r : runs) {
            if (r.changed() && !r.pass().equals("opset-upgrade") && !r.pass().equals("shape-inference")) {
                notes.add(String.format(Locale.ROOT, "pre-step %s: %s", r.pass(),
                        r.notes().isEmpty() ? "changed" : String.join("; ", r.notes())));
            }
        }
        return notes;
    }
}
