package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.FixedBatch;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.runtime.data.DataSource;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Whole models (variants of one model) timed side by side on the same batch of real data, as {@link SpeedCheck}
 * times two: warm-up, then {@link SpeedCheck#ROUNDS} interleaved rounds (the order reversed every other round),
 * each long enough to measure, and the median of the rounds kept per model.
 */
public final class DataTiming {

    private DataTiming() {
    }

    /**
     * Milliseconds per batch of each model, in the order given.
     *
     * @param open  the data for a model's inputs
     * @param batch items per run (fewer when the data has fewer; the models' fixed batch when they have one)
     */
    public static double[] time(List<Model> models, BiFunction<Model, List<InputInfo>, DataSource> open, int batch,
                                RuntimeOptions runtime, ProgressListener progress) {
        List<InferenceSession> sessions = new ArrayList<>();
        List<InferenceSession.PreparedFeeds> feeds = new ArrayList<>();
        try {
            int used = 0;
            for (int i = 0; i < models.size(); i++) {
                Model m = models.get(i);
                try (TempModel copy = TempModel.write(m, "timing")) {
                    sessions.add(InferenceSession.open(copy.file(), runtime));
                } catch (NoSuchFileException e) {
                    throw new IllegalStateException("the copy of a model to time vanished: " + e.getFile(), e);
                }
                InferenceSession s = sessions.getLast();
                DataSource data = open.apply(m, s.inputs());
                if (used == 0) {
                    used = Math.max(1, Math.min(FixedBatch.cap(s.inputs(), batch), data.size()));
                }
                feeds.add(s.prepare(data.batch(0, used).feeds()));
                progress.progress("timing variants: loading", i + 1, models.size());
            }
            return measure(feeds, progress);
        } finally {
            feeds.forEach(InferenceSession.PreparedFeeds::close);
            sessions.forEach(InferenceSession::close);
        }
    }

    private static double[] measure(List<InferenceSession.PreparedFeeds> feeds, ProgressListener progress) {
        int[] runs = InterleavedRounds.runsPerRound(feeds, 2, SpeedCheck.ROUND_NANOS, false);
        double[][] rounds = InterleavedRounds.run(feeds, runs, SpeedCheck.ROUNDS, "timing variants", progress);
        double[] out = new double[feeds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InterleavedRounds.median(rounds[i]);
        }
        return out;
    }
}
