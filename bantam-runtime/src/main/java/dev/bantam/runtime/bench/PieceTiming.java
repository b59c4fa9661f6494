package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.runtime.metrics.Percentiles;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times small models (layers cut out of larger ones) side by side: each is loaded with ONNX Runtime's
 * optimizations and fed random normal inputs of its fixed input shapes; after warm-up, interleaved rounds run
 * every piece in turn, each sample long enough to measure (at least {@link #SAMPLE_NANOS}), and the median of the
 * rounds is kept.
 */
public final class PieceTiming {

    /** Rounds per piece; the median is reported. */
    public static final int ROUNDS = 7;
    /** Shortest time one sample runs a piece for, repeating it as often as needed. */
    static final long SAMPLE_NANOS = 2_000_000;

    private PieceTiming() {
    }

    /** Milliseconds per run of each model, in the order given. */
    public static List<Double> time(List<Model> models, RuntimeOptions runtime, ProgressListener progress) {
        List<InferenceSession> sessions = new ArrayList<>();
        List<InferenceSession.PreparedFeeds> feeds = new ArrayList<>();
        try {
            for (int i = 0; i < models.size(); i++) {
                try (TempModel copy = TempModel.write(models.get(i), "timing")) {
                    sessions.add(InferenceSession.open(copy.file(), runtime));
                } catch (NoSuchFileException e) {
                    throw new IllegalStateException("the copy of a model to time vanished: " + e.getFile(), e);
                }
                InferenceSession s = sessions.getLast();
                feeds.add(s.prepare(randomFeeds(s.inputs(), i)));
                progress.progress("timing layers: loading", i + 1, models.size());
            }
            int[] repeats = new int[feeds.size()];
            for (int i = 0; i < feeds.size(); i++) {
                feeds.get(i).runTimed();
                long t = Math.max(1, feeds.get(i).runTimed());
                repeats[i] = (int) Math.clamp((SAMPLE_NANOS + t - 1) / t, 1, 1000);
            }
            double[][] samples = new double[feeds.size()][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < feeds.size(); i++) {
                    long total = 0;
                    for (int k = 0; k < repeats[i]; k++) {
                        total += feeds.get(i).runTimed();
                    }
                    samples[i][r] = total / 1e6 / repeats[i];
                }
                progress.progress("timing layers", r + 1, ROUNDS);
            }
            List<Double> out = new ArrayList<>();
            for (double[] s : samples) {
                Arrays.sort(s);
                out.add(Percentiles.of(s, 50));
            }
            return out;
        } finally {
            feeds.forEach(InferenceSession.PreparedFeeds::close);
            sessions.forEach(InferenceSession::close);
        }
    }

    /** Standard normal floats (seeded by the piece's position) or zeros for integer inputs. */
    private static Map<String, Tensor> randomFeeds(List<InputInfo> inputs, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (InputInfo in : inputs) {
            long[] dims = in.shape();
            if (Arrays.stream(dims).anyMatch(d -> d < 0)) {
                throw new IllegalArgumentException("cannot time a piece whose input '" + in.name() + "' has no fixed shape");
            }
            int n = Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
            out.put(in.name(), switch (in.type()) {
                case FLOAT -> {
                    float[] v = new float[n];
                    for (int j = 0; j < n; j++) {
                        v[j] = (float) r.nextGaussian();
                    }
                    yield Tensor.ofFloats(in.name(), v, dims);
                }
                case INT64 -> Tensor.ofLongs(in.name(), new long[n], dims);
                default -> throw new IllegalArgumentException("cannot time a piece with a " + in.type() + " input ('"
                        + in.name() + "')");
            });
        }
        return out;
    }
}
