package dev.bantam.runtime.context;

import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.data.DataSlice;
import dev.bantam.runtime.data.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Calibration data cut in two: the last items (as many as asked, at most a quarter) held out for scoring, the
 * rest for calibration, so a guard never judges a model on the items its ranges were fitted to. The source is
 * opened once per input signature and shared by both halves.
 */
final class HeldOutSplit {

    /** Fewer items than this cannot spare any for scoring. */
    static final int MIN_ITEMS = 8;

    private final BiFunction<Model, List<InputInfo>, DataSource> open;
    private final int items;
    private final Map<String, DataSource> opened = new HashMap<>();

    HeldOutSplit(BiFunction<Model, List<InputInfo>, DataSource> open, int items) {
        if (items < 1) {
            throw new IllegalArgumentException("items held out must be >= 1, got " + items);
        }
        this.open = open;
        this.items = items;
    }

    DataSource head(Model model, List<InputInfo> inputs) {
        DataSource all = all(model, inputs);
        return DataSlice.of(all, 0, all.size() - heldOut(all), "all but the last " + heldOut(all)
                + " items, held out for scoring");
    }

    DataSource tail(Model model, List<InputInfo> inputs) {
        DataSource all = all(model, inputs);
        return DataSlice.of(all, all.size() - heldOut(all), all.size(), "its last " + heldOut(all)
                + " items, held out from calibration");
    }

    private int heldOut(DataSource all) {
        return Math.min(items, all.size() / 4);
    }

    private synchronized DataSource all(Model model, List<InputInfo> inputs) {
        DataSource all = opened.computeIfAbsent(signature(inputs), k -> open.apply(model, inputs));
        if (all.size() < MIN_ITEMS) {
            throw new DataException("the calibration data has " + all.size() + " items, too few to hold a quarter out "
                    + "for the accuracy guard (give at least " + MIN_ITEMS + ", or held-out data with --eval-data, or turn "
                    + "the guard off with --no-guard)");
        }
        return all;
    }

    private static String signature(List<InputInfo> inputs) {
        StringBuilder b = new StringBuilder();
        for (InputInfo i : inputs) {
            b.append(i.name()).append(':').append(i.type()).append(java.util.Arrays.toString(i.shape())).append(';');
        }
        return b.toString();
    }
}
