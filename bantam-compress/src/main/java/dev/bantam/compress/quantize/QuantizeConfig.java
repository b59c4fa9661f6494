package dev.bantam.compress.quantize;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to quantize. Validated on construction; immutable.
 *
 * @param mode          DYNAMIC (weights now, activations at run time) or STATIC (calibrated activations)
 * @param perChannel    one scale per output channel of each weight instead of one per tensor
 * @param reduceRange   7-bit weights, for CPUs whose 8-bit integer dot products can saturate (no VNNI)
 * @param opTypes       operator types to quantize (MatMul, Gather)
 * @param exclude       node names matching any of these patterns stay in float
 * @param minWeightSize weights with fewer elements stay in float (quantizing them saves nothing)
 */
public record QuantizeConfig(Mode mode, boolean perChannel, boolean reduceRange, Set<String> opTypes,
                             List<Pattern> exclude, long minWeightSize) {

    public enum Mode { DYNAMIC, STATIC }

    public static final Set<String> DYNAMIC_OPS = Set.of("MatMul", "Gather");

    public QuantizeConfig {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        opTypes = Set.copyOf(opTypes);
        exclude = List.copyOf(exclude);
        for (String op : opTypes) {
            if (!DYNAMIC_OPS.contains(op)) {
                throw new IllegalArgumentException("cannot quantize " + op + " yet; supported: " + DYNAMIC_OPS);
            }
        }
        if (minWeightSize < 0) {
            throw new IllegalArgumentException("minimum weight size must be >= 0");
        }
    }

    public static QuantizeConfig dynamicDefaults() {
        return new QuantizeConfig(Mode.DYNAMIC, true, false, DYNAMIC_OPS, List.of(), 1024);
    }

    boolean excluded(String nodeName) {
        return nodeName != null && exclude.stream().anyMatch(p -> p.matcher(nodeName).find());
    }

    /** One line for provenance. */
    public String describe() {
        return "mode=" + mode.name().toLowerCase() + " per-channel=" + perChannel + " reduce-range=" + reduceRange
                + " ops=" + opTypes.stream().sorted().toList() + (exclude.isEmpty() ? "" : " exclude=" + exclude);
    }
}
