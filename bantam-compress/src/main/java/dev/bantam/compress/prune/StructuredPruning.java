package dev.bantam.compress.prune;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.infer.ShapeInference;
import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Structured pruning with physical removal: the model's channel spaces ({@link ChannelAnalysis}), the least
 * important channels of each that can lose some ({@link Importance}, {@link PruneConfig#toRemove}), cut out of every
 * slice ({@link ChannelRemoval}), the layers reading them refit first on calibration data ({@link Refit}) unless
 * refit is off.
 */
public final class StructuredPruning implements Technique<PruneConfig, PruneReport> {

    @Override
    public PruneConfig defaults() {
        return PruneConfig.defaults();
    }

    @Override
    public boolean needsData(PruneConfig config) {
        return config.refit();
    }

    /** The model's channel spaces (types inferred first), for {@code prune --explain} and for tests. */
    public static List<ChannelSpace> spaces(Model model) {
        new ShapeInference().run(model);
        return ChannelAnalysis.analyze(model.graph());
    }

    /** The model's channel spaces, those with a layer {@code scope} leaves out frozen, with that reason. */
    public static List<ChannelSpace> spaces(Model model, dev.bantam.compress.NodeScope scope) {
        return spaces(model).stream().map(s -> scoped(s, scope)).toList();
    }

    @Override
    public PruneReport apply(Model model, PruneConfig config, CompressionContext context) {
        List<ChannelSpace> spaces = spaces(model, config.scope());
        List<String> notes = new ArrayList<>();
        if (config.refit() && context.calibrationData().isEmpty()) {
            throw new IllegalArgumentException(PruneConfig.NAME + " refits the layers reading removed channels on "
                    + "calibration data: give it (--data SPEC), or turn refit off (--no-refit)");
        }
        Map<ChannelSpace, TreeSet<Long>> chosen = new LinkedHashMap<>();
        dev.bantam.compress.stats.ActivationStatistics stats = null;
        if (config.macReduction() != null) {
            CompressionContext scoring = context.holdOut(config.scoreItems());
            List<ChannelSpace> prunable = spaces.stream().filter(ChannelSpace::prunable).toList();
            stats = config.refit() ? Refit.collect(model, prunable, scoring, config.calibration()) : null;
            MacSearch.Result r = MacSearch.search(model, spaces, config, scoring, stats);
            spaces.forEach(s -> {
                if (r.removed().containsKey(s.id())) {
                    chosen.put(s, r.removed().get(s.id()));
                }
            });
            notes.addAll(MacSearch.notes(r, config));
        } else {
            for (ChannelSpace s : spaces) {
                if (s.prunable()) {
                    chosen.put(s, leastImportant(config.importance().scores(s), config.toRemove(s.size())));
                }
            }
        }
        Map<ChannelSpace, TreeSet<Long>> removal = new LinkedHashMap<>();
        List<PrunedSpace> report = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        for (ChannelSpace s : spaces) {
            if (!s.prunable()) {
                report.add(new PrunedSpace(s.label(), s.size(), List.of(), s.slots().size(), s.frozen()));
                decisions.add(Decision.skipped(s.label(), "channels", "frozen: " + s.frozen().getFirst()));
                continue;
            }
            TreeSet<Long> gone = chosen.getOrDefault(s, new TreeSet<>());
            report.add(new PrunedSpace(s.label(), s.size(), new ArrayList<>(gone), s.slots().size(), List.of()));
            if (gone.isEmpty()) {
                decisions.add(Decision.skipped(s.label(), "channels", "kept whole: " + s.size() + " channels" + (config
                        .macReduction() != null ? " (the MACs target was met without it)" : " at ratio " + config.ratio()
                        + (config.multiple() > 1 ? " and multiple " + config.multiple() : ""))));
            } else {
                removal.put(s, gone);
                decisions.add(Decision.applied(s.label(), "channels", "removed " + gone.size() + " of " + s.size()
                        + " channels (" + config.importance().label() + ", " + s.slots().size() + " slices)"));
            }
        }
        if (removal.isEmpty()) {
            throw new IllegalArgumentException(nothingToPrune(model, spaces, config));
        }
        if (config.refit()) {
            notes.addAll(stats != null ? Refit.apply(model, removal, stats, config.damping(), config.biasCompensation())
                    : Refit.apply(model, removal, context, config.calibration(), config.damping(),
                    config.biasCompensation()));
        }
        List<PrunedTensor> tensors = ChannelRemoval.remove(model, removal).stream().map(PrunedTensor::of)
                .sorted(Comparator.comparingDouble(PrunedTensor::sqnrDb)).toList();
        long frozen = spaces.stream().filter(s -> !s.prunable()).count();
        notes.add(0, String.format(java.util.Locale.ROOT, "%d channel spaces: %d pruned, %d frozen, %d kept whole",
                spaces.size(), removal.size(), frozen, spaces.size() - frozen - removal.size()));
        return new PruneReport(config, tensors, report, decisions, notes);
    }

    /** The space, frozen when the scope leaves out one of its layers (every layer of a space loses the same channels). */
    private static ChannelSpace scoped(ChannelSpace s, dev.bantam.compress.NodeScope scope) {
        for (Slot slot : s.slots()) {
            dev.bantam.onnx.ir.Node n = slot.node();
            if (!PruneConfig.SUPPORTED.contains(n.opType())) {
                continue;
            }
            String why = scope.whyNot(n);
            long size = n.input(1) == null ? 0 : n.input(1).constantValue().map(t -> t.elementCount()).orElse(0L);
            why = why != null ? why : size < scope.minWeightSize() ? "weight smaller than " + scope.minWeightSize() : null;
            if (why != null) {
                List<String> frozen = new ArrayList<>(s.frozen());
                frozen.add(0, "left out by the scope: " + n.displayName() + " (" + why + ")");
                return new ChannelSpace(s.id(), s.size(), s.producers(), s.slots(), frozen);
            }
        }
        return s;
    }

    /** Why nothing could be pruned, in one line that says what to do where something can be done. */
    private static String nothingToPrune(Model model, List<ChannelSpace> spaces, PruneConfig config) {
        ChannelSpace frozen = spaces.stream().filter(s -> !s.prunable()).findFirst().orElse(null);
        long prunable = spaces.stream().filter(ChannelSpace::prunable).count();
        if (spaces.isEmpty()) {
            boolean inBodies = model.graph().graphsRecursive().stream().skip(1).flatMap(g -> g.nodes().stream())
                    .anyMatch(n -> PruneConfig.SUPPORTED.contains(n.opType()));
            return "nothing to prune: " + (inBodies ? "the model's weighted layers are inside If/Loop/Scan bodies, which "
                    + "channel pruning does not enter" : "the model has no Conv, Gemm or MatMul with a constant weight");
        }
        if (prunable == 0) {
            return "nothing to prune: every one of the " + spaces.size() + " channel spaces is frozen (e.g. "
                    + frozen.label() + ": " + frozen.frozen().getFirst() + "); --explain lists them";
        }
        return "nothing to prune: none of the " + prunable + " channel spaces that could lose channels loses any at ratio "
                + config.ratio() + " with widths kept at multiples of " + config.multiple() + "; raise --ratio or lower "
                + "--multiple";
    }

    /** The indices of the {@code k} lowest scores (ties: the lower index goes first), sorted. */
    static TreeSet<Long> leastImportant(double[] scores, long k) {
        TreeSet<Long> out = new TreeSet<>();
        int[] order = SparseMasks.lowestFirst(scores, 0, 1, scores.length);
        for (int i = 0; i < k; i++) {
            out.add((long) order[i]);
        }
        return out;
    }
}
