package dev.bantam.runtime.context;

import dev.bantam.compress.Score;
import dev.bantam.compress.Scorer;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.FixedBatch;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.StateStream;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.metrics.Accuracy;
import dev.bantam.runtime.metrics.Fidelity;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The ONNX Runtime scorer: the evaluation items are read once and the reference run on them once, its outputs kept
 * (up to {@value #MAX_KEPT_MB} MB; beyond that the reference session stays open and runs again per candidate), so
 * that each candidate costs one session and one pass over the items. Progress: the reference's pass, and a
 * candidate's only for a single score (a search reports its candidates itself). With streamed state
 * ({@link StateStream}) items run one at a time in order, the reference and each candidate carrying their own.
 */
final class ReferenceScorer implements Scorer {

    static final int MAX_KEPT_MB = 512;

    private final RuntimeOptions runtime;
    private final ProgressListener progress;
    private final boolean candidateProgress;
    private final String output;
    private final List<Batch> batches = new ArrayList<>();
    private final List<Tensor> outputs = new ArrayList<>();
    private final Map<String, String> state;
    private final TempModel referenceFile;
    private InferenceSession reference;

    ReferenceScorer(Model referenceModel, int samples, int batchSize, RuntimeOptions runtime,
                    BiFunction<Model, List<InputInfo>, DataSource> open, ProgressListener progress,
                    boolean candidateProgress, Map<String, String> state) {
        if (samples < 1) {
            throw new IllegalArgumentException("score samples must be >= 1, got " + samples);
        }
        this.runtime = runtime;
        this.progress = progress;
        this.candidateProgress = candidateProgress;
        this.state = Map.copyOf(state);
        this.referenceFile = TempModel.write(referenceModel, "score");
        try {
            this.reference = InferenceSession.open(referenceFile.file(), runtime);
            this.output = reference.outputNames().getFirst();
            StateStream.check(this.state, reference);
            DataSource data = open.apply(referenceModel, reference.inputs());
            int total = Math.min(samples, data.size());
            int batch = this.state.isEmpty() ? FixedBatch.cap(reference.inputs(), batchSize) : 1;
            long kept = 0;
            StateStream stream = new StateStream(this.state);
            for (int start = 0; start < total; start += batch) {
                Batch b = data.batch(start, Math.min(batch, total - start));
                batches.add(b);
                Tensor o = kept > (long) MAX_KEPT_MB << 20 ? null : run(reference, stream, b).get(output);
                kept += o == null ? 0 : o.expectedByteSize();
                outputs.add(o);
                progress.progress("reference", start + b.count(), total);
            }
            if (outputs.contains(null)) {
                outputs.clear(); // too large to keep: the reference runs with every candidate
            } else {
                reference.close();
                reference = null;
            }
        } catch (NoSuchFileException e) {
            close();
            throw new IllegalStateException("the scoring copy of a model vanished: " + e.getFile(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public Score score(Model candidate) {
        return score(candidate, Integer.MAX_VALUE);
    }

    /** On the first batches that hold at least {@code items} items. */
    @Override
    public Score score(Model candidate, int items) {
        if (items < 1) {
            throw new IllegalArgumentException("score items must be >= 1, got " + items);
        }
        try (TempModel c = TempModel.write(candidate, "score"); InferenceSession cs = InferenceSession.open(c.file(), runtime)) {
            Fidelity fidelity = new Fidelity(output);
            StateStream refStream = new StateStream(state);
            StateStream candStream = new StateStream(state);
            Accuracy refAcc = new Accuracy();
            Accuracy candAcc = new Accuracy();
            int done = 0;
            int total = batches.stream().mapToInt(Batch::count).sum();
            for (int i = 0; i < batches.size() && done < items; i++) {
                Batch b = batches.get(i);
                Tensor ro = outputs.isEmpty() ? run(reference, refStream, b).get(output) : outputs.get(i);
                Tensor co = run(cs, candStream, b).get(output);
                if (co == null) {
                    throw new IllegalArgumentException("the candidate has no output '" + output + "'");
                }
                fidelity.add(ro, co);
                if (b.labels() != null && co.rank() == 2) {
                    refAcc.add(ro, b.labels());
                    candAcc.add(co, b.labels());
                }
                done += b.count();
                if (candidateProgress) {
                    progress.progress("score", done, total);
                }
            }
            Fidelity.Result f = fidelity.result();
            boolean labeled = candAcc.result().items() > 0;
            return new Score(f.items(), output, f.meanCosine(), f.p1Cosine(), f.minCosine(), f.sqnrDb(), f.maxAbsError(),
                    f.top1Agreement(), f.sequence() == null ? null : f.sequence().positionAgreement(),
                    labeled ? refAcc.result().top1() : null, labeled ? candAcc.result().top1() : null);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the scoring copy of a model vanished: " + e.getFile(), e);
        }
    }

    /** One run on a batch, its state (if any) fed from the stream's last run and kept for the next. */
    private static Map<String, Tensor> run(InferenceSession s, StateStream stream, Batch b) {
        Map<String, Tensor> out = s.run(stream.feeds(b.feeds()));
        stream.carry(out);
        return out;
    }

    @Override
    public void close() {
        if (reference != null) {
            reference.close();
            reference = null;
        }
        referenceFile.close();
    }
}
