package dev.bantam.cli.report;

import dev.bantam.compress.Footprint;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import dev.bantam.compress.half.HalfPrecisionReport;
import dev.bantam.compress.half.HalfTensor;
import dev.bantam.compress.lowrank.FactorizedLayer;
import dev.bantam.compress.lowrank.LowRankReport;
import dev.bantam.compress.weightonly.WeightOnlyReport;
import dev.bantam.compress.weightonly.WeightOnlyTensor;
import dev.bantam.compress.optimize.OptimizeReport;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.QuantizedTensor;
import dev.bantam.compress.quantize.TensorKind;
import dev.bantam.compress.recipe.CompressionReport;
import dev.bantam.compress.recipe.StepReport;
import dev.bantam.onnx.pass.PassManager;
import java.util.List;
import java.util.Locale;

/**
 * The terminal summary of a compression run: per step what it did (the worst tensors first, what was left and
 * why, notes; all of them with {@code verbose}), then the footprint before and after.
 */
public final class CompressText {

    private CompressText() {
    }

    public static String format(CompressionReport r, boolean verbose) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (StepReport s : r.steps()) {
            if (r.steps().size() > 1) {
                b.append(String.format(Locale.ROOT, "step %d/%d: %s%s%n", ++i, r.steps().size(), s.technique(),
                        s.data() == null ? "" : " (data " + s.data() + ")"));
            }
            switch (s.report()) {
                case QuantizeReport q -> quantize(b, q, verbose);
                case OptimizeReport o -> optimize(b, o, verbose);
                case LowRankReport l -> lowRank(b, l, verbose);
                case WeightOnlyReport w -> weightOnly(b, w, verbose);
                case HalfPrecisionReport h -> halfPrecision(b, h, verbose);
                case dev.bantam.compress.prune.PruneReport p -> prune(b, p, verbose);
                case dev.bantam.compress.prune.SparsityReport sp -> sparsity(b, sp, verbose);
                case dev.bantam.train.loop.TrainingStepReport t -> TrainText.append(b, t.technique(), t.training());
                case dev.bantam.train.student.DropLayersReport d -> b.append(String.format(Locale.ROOT,
                        "drop-layers: kept layers %s, bypassed %s; parameters %,d -> %,d%n", d.kept(), d.dropped(),
                        d.parametersBefore(), d.parametersAfter()));
                default -> other(b, s.report(), verbose);
            }
            decisions(b, s.report(), verbose);
            limited(b, s.report().notes(), verbose, "note");
        }
        limited(b, r.notes(), verbose, "note");
        if (r.steps().size() > 1 || r.before().macs() != null) {
            b.append(footprint(r.before(), r.after())).append('\n');
        }
        return b.toString();
    }

    private static void quantize(StringBuilder b, QuantizeReport q, boolean verbose) {
        b.append(String.format(Locale.ROOT, "quantized %d weights and %d activations (%s)%n", q.count(TensorKind.WEIGHT),
                q.count(TensorKind.ACTIVATION), q.technique()));
        for (QuantizedTensor t : q.tensors().stream().limit(verbose ? Long.MAX_VALUE : 5).toList()) {
            b.append(String.format(Locale.ROOT, "  %-44s %-10s %-8s %-16s SQNR %5.1f dB%s%n", abbreviate(t.tensor(), 44),
                    t.kind().name().toLowerCase(Locale.ROOT), t.opType(), t.shape().isEmpty() ? "" : t.shape().toString(),
                    t.sqnrDb(), t.clippedFraction() > 0 ? String.format(Locale.ROOT, "  clipped %.4f%%",
                            100 * t.clippedFraction()) : ""));
        }
        if (q.guard() != null) {
            GuardText.append(b, q.guard(), verbose);
        }
        if (q.speedGuard() != null) {
            GuardText.append(b, q.speedGuard(), verbose);
        }
    }

    private static void lowRank(StringBuilder b, LowRankReport r, boolean verbose) {
        b.append(String.format(Locale.ROOT, "factorized %d layers%n", r.tensors().size()));
        for (FactorizedLayer l : r.tensors().stream().limit(verbose ? Long.MAX_VALUE : 5).toList()) {
            b.append(String.format(Locale.ROOT, "  %-40s %-8s rank %4d of %-5d SQNR %5.1f dB%s%s%n",
                    abbreviate(l.node(), 40), l.form().name().toLowerCase(Locale.ROOT), l.rank(), l.fullRank(), l.sqnrDb(),
                    l.macsBefore() < 0 ? "" : String.format(Locale.ROOT, "  MACs %,d -> %,d", l.macsBefore(), l.macsAfter()),
                    l.msBefore() == null ? "" : String.format(Locale.ROOT, "  %.3f -> %.3f ms", l.msBefore(), l.msAfter())));
        }
    }

    private static void weightOnly(StringBuilder b, WeightOnlyReport r, boolean verbose) {
        b.append(String.format(Locale.ROOT, "stored %d weights in blocks (%s), %,d -> %,d bytes%n", r.tensors().size(),
                r.config().format().label(), r.bytesBefore(), r.bytesAfter()));
        for (WeightOnlyTensor t : r.tensors().stream().limit(verbose ? Long.MAX_VALUE : 5).toList()) {
            b.append(String.format(Locale.ROOT, "  %-40s %-6s %d-bit/%-4d %-5s SQNR %5.1f dB%s%n", abbreviate(t.node(), 40),
                    t.opType(), t.bits(), t.blockSize(), t.algorithm(), t.sqnrDb(), t.outputSqnrDb() == null ? ""
                            : String.format(Locale.ROOT, "  output %5.1f dB", t.outputSqnrDb())));
        }
    }

    private static void halfPrecision(StringBuilder b, HalfPrecisionReport r, boolean verbose) {
        String type = r.config().type().label();
        List<HalfTensor> stored = r.tensors().stream().filter(HalfTensor::converted).toList();
        b.append(String.format(Locale.ROOT, "%s, compute %s: %d of %d weights stored in %s (%.2f -> %.2f MiB)", type,
                r.config().compute().name().toLowerCase(Locale.ROOT), stored.size(), r.tensors().size(), type,
                r.bytesBefore() / 1048576.0, r.bytesAfter() / 1048576.0));
        if (!r.nodes().isEmpty()) {
            b.append(String.format(Locale.ROOT, "; %d of %d operators in %s, %d Casts at run time", r.halfNodes(),
                    r.nodes().size(), type, r.runtimeCasts()));
        }
        b.append('\n');
        for (HalfTensor t : stored.stream().limit(verbose ? Long.MAX_VALUE : 3).toList()) {
            b.append(String.format(Locale.ROOT, "  %-44s %-8s %-16s SQNR %5.1f dB%n", abbreviate(t.tensor(), 44),
                    t.opType(), t.shape().toString(), t.sqnrDb()));
        }
    }

    /** Structured pruning: every space that lost channels, its width before and after. */
    private static void prune(StringBuilder b, dev.bantam.compress.prune.PruneReport r, boolean verbose) {
        List<dev.bantam.compress.prune.PrunedSpace> cut = r.spaces().stream().filter(s -> !s.removed().isEmpty()).toList();
        b.append(String.format(Locale.ROOT, "removed channels from %d of %d channel spaces (%d constants cut)%n", cut.size(),
                r.spaces().size(), r.tensors().size()));
        for (dev.bantam.compress.prune.PrunedSpace s : cut.stream().limit(verbose ? Long.MAX_VALUE : 8).toList()) {
            b.append(String.format(Locale.ROOT, "  %-48s %5d -> %-5d channels  (%d slices)%n", abbreviate(s.label(), 48),
                    s.channels(), s.channels() - s.removed().size(), s.slices()));
        }
        if (!verbose && cut.size() > 8) {
            b.append(String.format(Locale.ROOT, "  (%d more with --verbose or --json)%n", cut.size() - 8));
        }
    }

    /** Unstructured pruning: each layer's zeros and storage, the bytes of the pruned weights. */
    private static void sparsity(StringBuilder b, dev.bantam.compress.prune.SparsityReport r, boolean verbose) {
        long sparse = r.tensors().stream().filter(dev.bantam.compress.prune.SparseLayer::sparse).count();
        b.append(String.format(Locale.ROOT, "%s: %d layers pruned, %d stored sparse, their weights %,d -> %,d bytes%n",
                r.config().method().label(), r.tensors().size(), sparse, r.bytesBefore(), r.bytesAfter()));
        for (dev.bantam.compress.prune.SparseLayer t : r.tensors().stream().limit(verbose ? Long.MAX_VALUE : 5).toList()) {
            b.append(String.format(Locale.ROOT, "  %-40s %-6s %5.1f%% zeros %-6s SQNR %5.1f dB%n", abbreviate(t.node(), 40),
                    t.opType(), 100 * t.sparsity(), t.sparse() ? "sparse" : "dense", t.sqnrDb()));
        }
    }

    /** Any technique: how many tensors it changed, the worst first. */
    private static void other(StringBuilder b, TechniqueReport r, boolean verbose) {
        b.append(String.format(Locale.ROOT, "%s changed %d tensors%n", r.technique(), r.tensors().size()));
        r.tensors().stream().sorted(java.util.Comparator.comparingDouble(TensorEntry::sqnrDb))
                .limit(verbose ? Long.MAX_VALUE : 5).forEach(t -> b.append(String.format(Locale.ROOT,
                        "  %-44s %-8s %-16s SQNR %5.1f dB%n", abbreviate(t.tensor(), 44), t.opType(),
                        t.shape().isEmpty() ? "" : t.shape().toString(), t.sqnrDb())));
    }

    private static void optimize(StringBuilder b, OptimizeReport o, boolean verbose) {
        for (PassManager.Run run : o.runs()) {
            for (String note : run.notes()) {
                if (verbose || !note.contains(" skipped: ")) {
                    b.append(String.format(Locale.ROOT, "%-34s %s%n", run.pass(), note));
                }
            }
        }
        b.append(String.format(Locale.ROOT, "nodes %d -> %d%n", o.nodesBefore(), o.nodesAfter()));
    }

    private static void decisions(StringBuilder b, TechniqueReport r, boolean verbose) {
        List<String> left = r.decisions().stream().filter(d -> !d.applied())
                .map(d -> "left " + d.node() + " (" + d.opType() + "): " + d.reason()).toList();
        limited(b, left, verbose, "note");
    }

    private static void limited(StringBuilder b, List<String> lines, boolean verbose, String label) {
        lines.stream().limit(verbose ? Long.MAX_VALUE : 3).forEach(x -> b.append("  ").append(label).append(": ")
                .append(x).append('\n'));
        if (!verbose && lines.size() > 3) {
            b.append(String.format(Locale.ROOT, "  (%d more with --verbose or --json)%n", lines.size() - 3));
        }
    }

    /** One line: parameters, weight bytes and MACs before -> after. */
    public static String footprint(Footprint a, Footprint z) {
        String macs = a.macs() == null || z.macs() == null ? "" : String.format(Locale.ROOT, ", MACs/item %,d -> %,d%s",
                a.macs().total(), z.macs().total(), z.macs().int8() > 0 ? String.format(Locale.ROOT, " (%,d int8)",
                        z.macs().int8()) : "");
        return String.format(Locale.ROOT, "parameters %,d -> %,d, weights %.2f -> %.2f MiB%s", a.parameters(),
                z.parameters(), a.parameterBytes() / 1048576.0, z.parameterBytes() / 1048576.0, macs);
    }

    static String abbreviate(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }
}
