package dev.bantam.runtime.eval;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.data.Perturbation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Robustness under shifted data: the evaluation run again under each {@link Perturbation} that fits the model's
 * inputs, at strengths 1 to 3, and each model's task metric (top-1, or the embedding probe's accuracy) beside its
 * clean value, so that a user sees whether compression made the model more fragile.
 */
public final class Robustness {

    /** One perturbation ("clean" for none) and each model's metric under it, in the evaluation's model order. */
    public record Row(String perturbation, List<Double> metric) {

        public Row {
            metric = List.copyOf(metric);
        }
    }

    /**
     * @param metric what was measured ("top-1" or "probe accuracy")
     * @param models the models' names, in order
     */
    public record Result(String metric, List<String> models, List<Row> rows) {

        public Result {
            models = List.copyOf(models);
            rows = List.copyOf(rows);
        }

        /** The model's metric under {@code row} minus its clean metric (negative: it lost). */
        public double change(int row, int model) {
            return rows.get(row).metric().get(model) - rows.getFirst().metric().get(model);
        }
    }

    private Robustness() {
    }

    public static Result run(EvalConfig c, EvalResult clean, ProgressListener progress) throws IOException {
        String metric = metricName(clean);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("clean", metrics(clean)));
        List<Perturbation.Kind> kinds = kinds(ModelIO.load(c.model()), c.data());
        if (kinds.isEmpty()) {
            throw new DataException("no perturbation fits the model's inputs (float inputs, or input_ids with an "
                    + "attention_mask)");
        }
        int done = 0;
        for (Perturbation.Kind k : kinds) {
            for (int s = 1; s <= 3; s++) {
                Perturbation p = new Perturbation(k, s);
                EvalResult r = Evaluator.run(c.withData(c.data() + ",perturb=" + p.label()), ProgressListener.NONE);
                rows.add(new Row(p.label(), metrics(r)));
                progress.progress("robustness", ++done, kinds.size() * 3L);
            }
        }
        return new Result(metric, clean.models().stream().map(ModelReport::name).toList(), rows);
    }

    private static String metricName(EvalResult r) {
        ModelReport m = r.models().getFirst();
        if (m.accuracy() != null) {
            return "top-1";
        }
        if (m.embedding() != null && m.embedding().probeAccuracy() != null) {
            return "probe accuracy";
        }
        throw new DataException("robustness compares a task metric: it needs labeled data (classify with labels, "
                + "or embed with labels for the probe)");
    }

    private static List<Double> metrics(EvalResult r) {
        return r.models().stream().map(m -> m.accuracy() != null ? m.accuracy().top1()
                : m.embedding() != null && m.embedding().probeAccuracy() != null ? m.embedding().probeAccuracy()
                : Double.NaN).toList();
    }

    /** The perturbations the model's graph inputs take. */
    static List<Perturbation.Kind> kinds(Model m, String data) {
        List<Perturbation.Kind> out = new ArrayList<>();
        boolean floats = false;
        boolean images = false;
        for (Value in : m.graph().inputs()) {
            if (m.graph().initializer(in.name()) == null && in.type() instanceof ValueType.TensorType t
                    && t.elementType() == DataType.FLOAT) {
                floats = true;
                images |= t.shape() != null && t.shape().rank() >= 3;
            }
        }
        boolean tokens = m.graph().inputs().stream().anyMatch(v -> v.name().equals("input_ids"))
                && m.graph().inputs().stream().anyMatch(v -> v.name().equals("attention_mask"));
        if (floats) {
            out.add(Perturbation.Kind.NOISE);
            out.add(Perturbation.Kind.BRIGHTNESS);
        }
        if (images) {
            out.add(Perturbation.Kind.BLUR);
        }
        if (tokens) {
            out.add(Perturbation.Kind.TOKENS);
            if (data.strip().startsWith("text:")) { // words can be misspelled only before tokenizing
                out.add(Perturbation.Kind.TYPOS);
            }
        }
        return out;
    }
}
