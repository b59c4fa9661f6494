package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassManager;
import dev.bantam.onnx.rewrite.RewritePass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard optimization pipelines. {@code basic}: rewrites that keep results bit-identical (constant
 * folding, clean-ups, deduplication); {@code extended}: also those that change the arithmetic slightly
 * (BatchNormalization folding, MatMul+Add to Gemm, LayerNormalization and Gelu fusion when the opset
 * allows). Both run to a fixed point.
 */
public final class Optimizer {

    public enum Level { BASIC, EXTENDED }

    private Optimizer() {
    }

    /** Every pass by name, in pipeline order. */
    public static Map<String, Pass> catalog() {
        Map<String, Pass> m = new LinkedHashMap<>();
        for (Pass p : List.of(new dev.bantam.onnx.infer.ShapeInference(), new ConstantToInitializer(), new EliminateNoOps(), new ConstantFolding(),
                new RewritePass("fold-batch-norm", List.of(new FoldBatchNorm())),
                new RewritePass("matmul-add-to-gemm", List.of(new MatMulAddToGemm())),
                new RewritePass("merge-transpose-reshape", List.of(new MergeTransposeReshape())),
                new RewritePass("fold-scalar-into-weights", List.of(new FoldScalarIntoWeights())),
                new RewritePass("fuse-layer-normalization", List.of(new FuseLayerNormalization())),
                new RewritePass("fuse-gelu", List.of(new FuseGelu())),
                new CommonSubexpressionElimination(), new DeduplicateInitializers(), new DeadCodeElimination())) {
            m.put(p.name(), p);
        }
        return m;
    }

    public static List<Pass> pipeline(Level level) {
        List<Pass> out = new ArrayList<>();
        catalog().forEach((name, p) -> {
            boolean reassociates = Set.of("fold-batch-norm", "matmul-add-to-gemm", "fuse-layer-normalization",
                    "fuse-gelu", "fold-scalar-into-weights").contains(name);
            if (level == Level.EXTENDED || !reassociates) {
                out.add(p);
            }
        });
        return out;
    }

    /** The passes named in {@code names}, in the order given; an unknown name is an error naming the known ones. */
    public static List<Pass> named(List<String> names) {
        Map<String, Pass> all = catalog();
        List<Pass> out = new ArrayList<>();
        for (String n : names) {
            Pass p = all.get(n.trim());
            if (p == null) {
                throw new IllegalArgumentException("unknown pass '" + n + "'; passes: " + String.join(", ", all.keySet()));
            }
            out.add(p);
        }
        return out;
    }

    public static List<PassManager.Run> optimize(Model model, List<Pass> passes) {
        return PassManager.toFixedPoint(passes).run(model);
    }

    /** Raises the model's ai.onnx opset first (refusing when a conversion is unknown), then optimizes. */
    public static List<PassManager.Run> optimize(Model model, List<Pass> passes, long targetOpset) {
        List<PassManager.Run> runs = new ArrayList<>(PassManager.once(List.of(new OpsetUpgrade(targetOpset))).run(model));
        runs.addAll(optimize(model, passes));
        return runs;
    }
}
