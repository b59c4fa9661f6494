package dev.bantam.compress.optimize;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassManager;
import java.util.List;

/** Graph optimization ({@link Optimizer}) as a technique, so recipes can run it between other steps. */
public final class OptimizeTechnique implements Technique<OptimizeConfig, OptimizeReport> {

    /** The newest ai.onnx opset Bantam converts to. */
    static final long MAX_OPSET = 25;

    @Override
    public OptimizeConfig defaults() {
        return OptimizeConfig.defaults();
    }

    @Override
    public OptimizeReport apply(Model model, OptimizeConfig config, CompressionContext context) {
        List<Pass> pipeline = config.passes() != null ? Optimizer.named(config.passes())
                : Optimizer.pipeline(config.effectiveLevel());
        int before = countNodes(model);
        List<PassManager.Run> runs = config.targetOpset() == null ? Optimizer.optimize(model, pipeline)
                : Optimizer.optimize(model, pipeline, config.targetOpset());
        return new OptimizeReport(config, runs, before, countNodes(model), List.of());
    }

    static int countNodes(Model m) {
        int[] n = {0};
        m.graph().forEachNodeRecursive(x -> n[0]++);
        return n[0];
    }
}
