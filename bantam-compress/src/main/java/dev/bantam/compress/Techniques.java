package dev.bantam.compress;

import dev.bantam.compress.half.HalfPrecision;
import dev.bantam.compress.lowrank.LowRankFactorization;
import dev.bantam.compress.optimize.OptimizeTechnique;
import dev.bantam.compress.prune.StructuredPruning;
import dev.bantam.compress.prune.WeightPruning;
import dev.bantam.compress.quantize.DynamicQuantization;
import dev.bantam.compress.quantize.StaticQuantization;
import dev.bantam.compress.share.WeightSharing;
import dev.bantam.compress.weightonly.WeightOnlyQuantization;
import dev.bantam.onnx.ir.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every technique Bantam has, by the name recipes use. A new technique is added here. */
public final class Techniques {

    private static final List<Technique<?, ?>> ALL = load();

    /**
     * The built-in techniques, then those other modules provide as services ({@code META-INF/services/
     * dev.bantam.compress.Technique}: training lives in bantam-train, which depends on this module), sorted by
     * name so the order does not depend on the class path.
     */
    private static List<Technique<?, ?>> load() {
        List<Technique<?, ?>> all = new java.util.ArrayList<>(List.of(new OptimizeTechnique(),
                new DynamicQuantization(), new StaticQuantization(), new WeightSharing(), new LowRankFactorization(),
                new WeightOnlyQuantization(), new HalfPrecision(), new StructuredPruning(), new WeightPruning()));
        List<Technique<?, ?>> provided = new java.util.ArrayList<>();
        for (Technique<?, ?> t : java.util.ServiceLoader.load(Technique.class)) {
            if (all.stream().noneMatch(b -> b.name().equals(t.name()))) {
                provided.add(t);
            }
        }
        provided.sort(java.util.Comparator.comparing(Technique::name));
        all.addAll(provided);
        return List.copyOf(all);
    }

    private Techniques() {
    }

    public static List<Technique<?, ?>> all() {
        return ALL;
    }

    public static Map<String, Technique<?, ?>> byName() {
        Map<String, Technique<?, ?>> m = new LinkedHashMap<>();
        ALL.forEach(t -> m.put(t.name(), t));
        return m;
    }

    public static Optional<Technique<?, ?>> named(String name) {
        return Optional.ofNullable(byName().get(name));
    }

    /** The technique that runs {@code config}. */
    public static Technique<?, ?> of(TechniqueConfig config) {
        return named(config.technique()).orElseThrow(() -> new IllegalArgumentException(
                "no technique named '" + config.technique() + "'"));
    }

    /** Whether {@code config} runs the model on calibration data. */
    public static boolean needsData(TechniqueConfig config) {
        return needsDataTyped(of(config), config);
    }

    private static <C extends TechniqueConfig> boolean needsDataTyped(Technique<C, ?> technique, TechniqueConfig config) {
        return technique.needsData(technique.configType().cast(config));
    }

    /** Applies {@code config} with its technique. */
    public static TechniqueReport apply(Model model, TechniqueConfig config, CompressionContext context) {
        return applyTyped(of(config), model, config, context);
    }

    private static <C extends TechniqueConfig, R extends TechniqueReport> R applyTyped(
            Technique<C, R> technique, Model model, TechniqueConfig config, CompressionContext context) {
        return technique.apply(model, technique.configType().cast(config), context);
    }
}
