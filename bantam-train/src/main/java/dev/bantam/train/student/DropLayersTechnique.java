package dev.bantam.train.student;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.ir.Model;
import java.util.List;
import java.util.Set;

/** Builds a layer-dropped student in place (the start of a compact model that distillation then trains). */
public final class DropLayersTechnique implements Technique<DropLayersConfig, DropLayersReport> {

    @Override
    public DropLayersConfig defaults() {
        return DropLayersConfig.defaults();
    }

    @Override
    public DropLayersReport apply(Model model, DropLayersConfig config, CompressionContext context) {
        List<Blocks.Block> blocks = Blocks.of(model.graph());
        Set<Integer> drop = config.layers().equals("every-other") ? LayerDropping.everyOther(blocks)
                : DropLayersConfig.indexes(config.layers());
        LayerDropping.Result r = LayerDropping.drop(model, drop);
        return new DropLayersReport(config, r.kept(), r.dropped(), r.parametersBefore(), r.parametersAfter(),
                List.of("bypassed layers " + r.dropped() + " of " + blocks.size() + "; the others keep the input's "
                        + "weights (distill the result from the input to recover)"));
    }
}
