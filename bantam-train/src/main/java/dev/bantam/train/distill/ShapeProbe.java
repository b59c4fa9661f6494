package dev.bantam.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.train.graph.Constants;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.loop.StepBatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shapes of the student's and teachers' compared values on the first two items of the data. */
record ShapeProbe(Map<String, Shape> student, List<Map<String, Shape>> teachers) {

    static ShapeProbe run(TrainableGraph g, DataSource data, Collection<String> values, List<TeacherRunner> runners) {
        int n = Math.min(2, data.size());
        Batch b = data.batch(0, n);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> feeds = Constants.feeds(m, b.feeds());
            Map<String, Shape> s = new LinkedHashMap<>();
            g.forward(m, feeds, false, values).forEach((k, v) -> s.put(k, v.getShape()));
            int[] items = new int[n];
            java.util.Arrays.setAll(items, i -> i);
            StepBatch sb = new StepBatch(items, b, feeds, null, true);
            List<Map<String, Shape>> t = new ArrayList<>();
            for (TeacherRunner r : runners) {
                Map<String, Shape> shapes = new LinkedHashMap<>();
                r.run(sb, m).forEach((k, v) -> shapes.put(k, v.getShape()));
                t.add(shapes);
            }
            return new ShapeProbe(s, t);
        }
    }
}
