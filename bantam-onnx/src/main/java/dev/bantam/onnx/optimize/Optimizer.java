package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassManager;
import dev.bantam.onnx.rewrite.RewritePass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard optimization pipelines. {@code basic}: rewrites that keep results bit-identical (constant
 * folding, clean-ups, deduplication); {@code extended}: also those that reassociate arithmetic
 * (BatchNormalization folding, MatMul+Add to Gemm). Both run to a fixed point.
 */
public final class Optimizer {

    public enum Level { BASIC, EXTENDED }

    private Optimizer() {
    }

    /** Every pass by name, in pipeline order. */
    public static Map<String, Pass> catalog() {
        Map<String, Pass> m = new LinkedHashMap<>();
        for (Pass p : List.of(new ConstantToInitializer(), new EliminateNoOps(), new ConstantFolding(),
                new RewritePass("fold-batch-norm", List.of(new FoldBatchNorm())),
                new RewritePass("matmul-add-to-gemm", List.of(new MatMulAddToGemm())),
                new CommonSubexpressionElimination(), new DeduplicateInitializers(), new DeadCodeElimination())) {
            m.put(p.name(), p);
        }
        return m;
    }

    public static List<Pass> pipeline(Level level) {
        List<Pass> out = new ArrayList<>();
        catalog().forEach((name, p) -> {
            boolean reassociates = name.equals("fold-batch-norm") || name.equals("matmul-add-to-gemm");
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
}
