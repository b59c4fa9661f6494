package dev.bantam.cli.report;

import dev.bantam.train.loop.TrainReport;
import java.util.Locale;

/** Terminal text of a training step (distill, fine-tune): what was trained and each epoch. */
final class TrainText {

    private TrainText() {
    }

    static void append(StringBuilder b, String technique, TrainReport r) {
        b.append(String.format(Locale.ROOT, "%s: %s; %,d trainable weights, %,d training items%s%n", technique,
                r.objective(), r.trainableScalars(), r.trainItems(),
                r.validationItems() > 0 ? String.format(Locale.ROOT, ", %,d held out", r.validationItems()) : ""));
        boolean val = r.validationItems() > 0;
        b.append(String.format(Locale.ROOT, "  epoch  train loss  train acc%s  items/s  end lr     seconds%n",
                val ? "  val loss  val acc" : ""));
        for (TrainReport.Epoch e : r.epochs()) {
            b.append(String.format(Locale.ROOT, "  %5d  %10.4f  %9s%s  %7.0f  %-9.3g  %7.1f%s%n", e.epoch(),
                    e.trainLoss(), percent(e.trainAccuracy()), val ? String.format(Locale.ROOT, "  %8.4f  %7s",
                            e.validationLoss(), percent(e.validationAccuracy())) : "", e.itemsPerSecond(),
                    e.learningRate(), e.seconds(), e.epoch() == r.keptEpoch() && val ? "  kept" : ""));
        }
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
