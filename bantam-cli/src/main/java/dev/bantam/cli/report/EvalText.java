package dev.bantam.cli.report;

import dev.bantam.compress.recipe.RunWarnings;
import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.ModelReport;
import dev.bantam.runtime.metrics.Fidelity;
import java.util.List;
import java.util.Locale;

/** The terminal summary of an evaluation. */
public final class EvalText {

    private EvalText() {
    }

    public static String format(EvalResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "task %s on %s, batch %d%n", r.task(), r.data(), r.batchSize()));
        if (RunWarnings.isSynthetic(r.data())) {
            b.append("warning: evaluated on synthetic data: agreement on random inputs is no evidence of quality on "
                    + "real data\n");
        }
        b.append(String.format(Locale.ROOT, "%-28s %9s %9s %9s %9s %9s %10s %10s %11s%n", "model", "MiB", "top-1",
                "top-5", "cos mean", "cos p1", "neigh@10", "probe", "p50 ms"));
        for (ModelReport m : r.models()) {
            Double cosMean = null;
            Double cosP1 = null;
            if (m.embedding() != null) {
                cosMean = m.embedding().meanCosine();
                cosP1 = m.embedding().p1Cosine();
            } else if (!m.fidelity().isEmpty()) {
                cosMean = m.fidelity().getFirst().meanCosine();
                cosP1 = m.fidelity().getFirst().p1Cosine();
            }
            b.append(String.format(Locale.ROOT, "%-28s %9.2f %9s %9s %9s %9s %10s %10s %11.2f%n", clip(m.name()),
                    m.fileBytes() / 1048576.0, pct(m.accuracy() == null ? null : m.accuracy().top1()),
                    pct(m.accuracy() == null ? null : m.accuracy().top5()), num(cosMean), num(cosP1),
                    num(m.embedding() == null ? null : m.embedding().neighbourAgreement()),
                    pct(m.embedding() == null ? null : m.embedding().probeAccuracy()), m.latency().p50Ms()));
        }
        classes(b, r);
        for (ModelReport m : r.models()) {
            for (Fidelity.Result f : m.fidelity()) {
                b.append(String.format(Locale.ROOT, "%s output %s: max |err| %.4g (reference RMS %.4g), SQNR %.1f dB%s%n",
                        m.name(), f.output(), f.maxAbsError(), f.referenceRms(), f.sqnrDb(), f.top1Agreement() == null
                                ? "" : String.format(Locale.ROOT, ", top-1 agreement %.2f%%, KL %.3g",
                                100 * f.top1Agreement(), f.meanKl())));
                if (f.sequence() != null) {
                    b.append(String.format(Locale.ROOT, "%s output %s: argmax agreement %.2f%% of %,d positions, "
                                    + "identical CTC decoding %.2f%% of %,d items%n", m.name(), f.output(),
                            100 * f.sequence().positionAgreement(), f.sequence().positions(),
                            100 * f.sequence().decodeAgreement(), f.sequence().items()));
                }
                if (f.map() != null) {
                    b.append(String.format(Locale.ROOT, "%s output %s: above %.3g: agreement %.2f%%, IoU %.4f%n",
                            m.name(), f.output(), f.map().threshold(), 100 * f.map().agreement(), f.map().iou()));
                }
                if (f.tinyItems() > 0) {
                    b.append(String.format(Locale.ROOT, "%s output %s: note: %d of %d items have an all-but-zero reference"
                                    + " (RMS < %.0e): their cosine says little, read max |err| and SQNR%n", m.name(),
                            f.output(), f.tinyItems(), f.items(), Fidelity.TINY_RMS));
                }
            }
            b.append(String.format(Locale.ROOT, "%s: latency p50/p90/p99 %.2f/%.2f/%.2f ms per batch, %.1f items/s, "
                    + "session memory %.1f MiB%n", m.name(), m.latency().p50Ms(), m.latency().p90Ms(), m.latency().p99Ms(),
                    m.latency().itemsPerSecond(), m.memoryBytes() / 1048576.0));
            b.append(String.format(Locale.ROOT, "%s energy estimate: %.1f uJ per item (%,d FP32 MACs, %,d INT8 MACs)%n",
                    m.name(), m.energy().microjoulesPerItem(), m.energy().macsFp32(), m.energy().macsInt8()));
        }
        return b.toString();
    }

    /** Macro precision, recall and F1 per model; the classes whose recall the last model lost most. */
    private static void classes(StringBuilder b, EvalResult r) {
        for (ModelReport m : r.models()) {
            if (m.accuracy() != null && !m.accuracy().perClass().isEmpty()) {
                b.append(String.format(Locale.ROOT, "%s: macro precision %s, recall %s, F1 %s over %d classes%n", m.name(),
                        pct(m.accuracy().macroPrecision()), pct(m.accuracy().macroRecall()), pct(m.accuracy().macroF1()),
                        m.accuracy().perClass().size()));
            }
        }
        List<ClassChange> lost = ClassChange.recallLost(r);
        if (!lost.isEmpty()) {
            b.append(r.models().getLast().name()).append(": recall lost most on ").append(String.join(", ",
                    lost.stream().limit(3).map(c -> String.format(Locale.ROOT, "%s %s -> %s", c.name(),
                            pct(c.before()), pct(c.after()))).toList())).append('\n');
        }
    }

    private static String clip(String s) {
        return s.length() <= 28 ? s : "…" + s.substring(s.length() - 27);
    }

    static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
