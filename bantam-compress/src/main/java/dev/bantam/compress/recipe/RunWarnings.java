package dev.bantam.compress.recipe;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.quantize.QuantizedTensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a user must know before trusting a compression run's result, though the run succeeded: a step calibrated
 * on {@code synthetic:} data (its ranges fit random inputs, not the user's), and INT8 tensors that kept less than
 * {@link #LOW_SQNR_DB} of signal (an activation at a few dB is the usual sign of an accuracy collapse, deep in the
 * per-tensor report where nobody looks).
 */
public final class RunWarnings {

    /** Below this, an INT8 tensor's quantization noise is over 18% of its signal (RMS). */
    public static final double LOW_SQNR_DB = 15.0;

    private RunWarnings() {
    }

    /** The warnings for {@code report}, in step order; empty when there is nothing to warn about. */
    public static List<String> of(CompressionReport report) {
        List<String> out = new ArrayList<>();
        for (StepReport s : report.steps()) {
            if (isSynthetic(s.data())) {
                out.add(s.technique() + " was calibrated on synthetic data (" + s.data() + "): its ranges fit random "
                        + "inputs, not your data; calibrate on a few hundred real samples instead");
            }
            if (s.report() instanceof QuantizeReport q) {
                guard(s.technique(), q).ifPresent(out::add);
                tooFewItems(s.technique(), q).ifPresent(out::add);
                if (q.guard() == null || !q.guard().holds()) { // a guard that held measured the output itself
                    lowSqnr(s.technique(), q).ifPresent(out::add);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Whether a data spec ({@code synthetic:N,...}) or a data source's description ({@code synthetic inputs (...)})
     * names Bantam's generated data rather than the user's.
     */
    public static boolean isSynthetic(String data) {
        String d = data == null ? "" : data.strip().toLowerCase(Locale.ROOT);
        return d.startsWith("synthetic:") || d.startsWith("synthetic inputs");
    }

    private static java.util.Optional<String> guard(String technique, QuantizeReport q) {
        GuardResult g = q.guard();
        if (g == null) {
            return java.util.Optional.empty();
        }
        if (!g.holds()) {
            return java.util.Optional.of(String.format(Locale.ROOT, "%s: the accuracy budget (%s) is not met: mean "
                    + "cosine %.4f on %d held-out items", technique, g.budget(), g.result().meanCosine(), g.result().items()));
        }
        if (g.keptFloat().size() == g.groups()) {
            return java.util.Optional.of(String.format(Locale.ROOT, "%s: the accuracy guard returned all %d groups to "
                    + "float to meet its budget (%s): nothing is int8; try another --calibration or a looser budget",
                    technique, g.keptFloat().size(), g.budget()));
        }
        return java.util.Optional.empty();
    }

    /**
     * A budget on class decisions finer than the held-out items can show: one item whose decision changes moves the
     * agreement (and the mean cosine, by up to as much) by 1/items, so a split that passes says little about rarer
     * changes (the text-direction classifier met a 0.9999 cosine budget on 128 held-out lines and read 0.998 on
     * 584 others).
     */
    private static java.util.Optional<String> tooFewItems(String technique, QuantizeReport q) {
        GuardResult g = q.guard();
        if (g == null || g.result().top1Agreement() == null || !(q.config() instanceof StaticQuantizeConfig c)) {
            return java.util.Optional.empty();
        }
        AccuracyGuard a = c.guard();
        double step = 1.0 / g.result().items();
        boolean finer = a.minFidelity() != null && 1 - a.minFidelity() < step
                || a.minAgreement() != null && 1 - a.minAgreement() < step
                || a.maxDrop() != null && a.maxDrop() < step;
        if (!finer) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "%s: the accuracy budget (%s) is finer than %d held-out "
                + "items can show: one item whose decision changes moves the figures by up to %.4f, so rarer changes go "
                + "unseen; hold out more items (--guard-items N with more calibration data, or --eval-data SPEC)",
                technique, g.budget(), g.result().items(), step));
    }

    private static java.util.Optional<String> lowSqnr(String technique, QuantizeReport q) {
        List<QuantizedTensor> low = q.tensors().stream().filter(t -> t.sqnrDb() < LOW_SQNR_DB)
                .sorted(Comparator.comparingDouble(QuantizedTensor::sqnrDb)).toList();
        if (low.isEmpty()) {
            return java.util.Optional.empty();
        }
        QuantizedTensor worst = low.getFirst();
        return java.util.Optional.of(String.format(Locale.ROOT, "%s: %d %s kept less than %.0f dB SQNR, the worst %s "
                        + "(%s of %s '%s') at %.1f dB; measure the result on real data (bantam eval --model OUT "
                        + "--reference IN) and leave the layers at fault in float (--exclude)", technique, low.size(), low.size() == 1 ? "tensor" : "tensors",
                LOW_SQNR_DB, worst.tensor(), worst.kind().name().toLowerCase(Locale.ROOT), worst.opType(), worst.node(),
                worst.sqnrDb()));
    }
}
