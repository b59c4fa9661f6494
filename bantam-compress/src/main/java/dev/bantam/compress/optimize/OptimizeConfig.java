package dev.bantam.compress.optimize;

import dev.bantam.compress.TechniqueConfig;
import dev.bantam.onnx.optimize.Optimizer;
import java.util.List;

/**
 * Graph optimization: a level's pipeline or a list of passes, optionally after raising the opset.
 *
 * @param level       {@code basic} (results bit-identical) or {@code extended} (also rewrites that change the
 *                    arithmetic within 1e-5); null with {@code passes}, basic without
 * @param passes      exactly these passes instead of a level's pipeline; null for a level
 * @param targetOpset raise the ai.onnx opset to this first; null to keep it
 */
public record OptimizeConfig(Optimizer.Level level, List<String> passes, Long targetOpset) implements TechniqueConfig {

    public static final String NAME = "optimize";

    public OptimizeConfig {
        if (level != null && passes != null) {
            throw new IllegalArgumentException("optimize takes a level or a list of passes, not both");
        }
        if (passes != null) {
            passes = List.copyOf(passes);
            if (passes.isEmpty()) {
                throw new IllegalArgumentException("optimize: the list of passes is empty");
            }
            Optimizer.named(passes); // refuses unknown passes, naming the known ones
        }
        if (targetOpset != null && (targetOpset < 1 || targetOpset > OptimizeTechnique.MAX_OPSET)) {
            throw new IllegalArgumentException("target opset must be 1 to " + OptimizeTechnique.MAX_OPSET + ", got "
                    + targetOpset);
        }
    }

    /** The basic pipeline, opset unchanged. */
    public static OptimizeConfig defaults() {
        return new OptimizeConfig(null, null, null);
    }

    public static OptimizeConfig level(Optimizer.Level level) {
        return new OptimizeConfig(level, null, null);
    }

    public OptimizeConfig withTargetOpset(Long opset) {
        return new OptimizeConfig(level, passes, opset);
    }

    /** The level in effect: the one given, or basic when neither a level nor passes are. */
    public Optimizer.Level effectiveLevel() {
        return level == null && passes == null ? Optimizer.Level.BASIC : level;
    }

    @Override
    public String technique() {
        return NAME;
    }
}
