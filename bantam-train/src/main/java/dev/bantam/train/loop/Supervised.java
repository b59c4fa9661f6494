package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Cross-entropy of one logits output against the data's labels: plain fine-tuning. */
public final class Supervised implements Objective {

    private final String output;

    public Supervised(String output) {
        this.output = output;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public Loss loss(StepBatch batch, Map<String, NDArray> student, NDManager step) {
        NDArray ce = Losses.crossEntropy(student.get(output), batch.labels());
        return new Loss(ce, Map.of("ce", ce));
    }

    @Override
    public String describe() {
        return "cross-entropy on '" + output + "'";
    }
}
