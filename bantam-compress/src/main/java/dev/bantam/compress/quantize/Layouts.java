package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.WeightNumerics;
import java.util.ArrayList;
import java.util.List;

/**
 * The int8 layouts the speed guard times beside the config's own, each differing from it in one respect: QDQ or
 * QOperator, per-channel or per-tensor weights, unsigned (U8S8) or signed (S8S8) activations. Which is fastest
 * depends on the runtime's kernels and the CPU (x86 without VNNI runs U8S8 fastest, ARM's dot products S8S8), so
 * it is measured, not assumed.
 */
final class Layouts {

    /** A layout: its label and the config that writes it. */
    record Layout(String label, StaticQuantizeConfig config) {
    }

    private Layouts() {
    }

    static String label(StaticQuantizeConfig c) {
        return (c.format() == StaticQuantizeConfig.Format.QDQ ? "QDQ" : "QOperator") + ", "
                + (c.perChannel() ? "per-channel" : "per-tensor") + " weights, "
                + (c.activations().signed() ? "S8S8" : "U8S8");
    }

    /**
     * @param perChannelOk whether per-channel weights are possible (opset 13 or later)
     */
    static List<Layout> alternatives(StaticQuantizeConfig c, boolean perChannelOk) {
        List<StaticQuantizeConfig> out = new ArrayList<>();
        out.add(c.withFormat(c.format() == StaticQuantizeConfig.Format.QDQ ? StaticQuantizeConfig.Format.QOPERATOR
                : StaticQuantizeConfig.Format.QDQ));
        WeightNumerics w = c.weights();
        if (c.perChannel() || perChannelOk) {
            out.add(c.withWeights(new WeightNumerics(w.bits(), w.signed(), w.symmetric(),
                    c.perChannel() ? Granularity.PER_TENSOR : Granularity.PER_CHANNEL, w.blockSize())));
        }
        out.add(c.withActivations(new ActivationNumerics(!c.activations().signed(), c.activations().symmetric())));
        return out.stream().map(x -> new Layout(label(x), x)).toList();
    }
}
