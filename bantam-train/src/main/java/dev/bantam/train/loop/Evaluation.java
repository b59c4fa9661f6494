package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.train.graph.Constants;
import dev.bantam.train.graph.TrainableGraph;
import java.util.List;

/** Top-1 accuracy of a translated graph's first output (evaluation mode) on labelled data, in batches. */
public final class Evaluation {

    private Evaluation() {
    }

    public static double top1(TrainableGraph g, DataSource data, int batchSize) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("accuracy needs labelled data (" + data.describe() + ")");
        }
        long hits = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int from = 0; from < data.size(); from += batchSize) {
                int n = Math.min(batchSize, data.size() - from);
                try (NDManager step = m.newSubManager()) {
                    Batch b = data.batch(from, n);
                    NDArray logits = g.forward(step, Constants.feeds(step, b.feeds()), false, List.of()).values()
                            .iterator().next();
                    hits += Losses.hits(logits, Constants.labels(step, b.labels()));
                }
            }
        }
        return hits / (double) data.size();
    }
}
