package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.data.BadDataTestAccess;
import dev.bantam.runtime.metrics.Fidelity;
import dev.bantam.runtime.metrics.SequenceAgreement;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequence and map metrics on a CTC-shaped graph built in code (issue 11): scores [4 items, 5 positions, 3
 * classes], class 0 the blank. The candidate adds +10 to the blank at position 1, which changes the best class at
 * three positions and the decoding of two items of four.
 */
class SequenceEvalTest {

    /** Best-class paths of the four items, and their decodings. */
    private static final int[][] PATHS = {{1, 1, 0, 2, 2}, {0, 1, 0, 1, 0}, {2, 2, 2, 2, 2}, {1, 0, 0, 0, 2}};

    @TempDir
    Path dir;

    @Test
    void greedyCtcDecoding() {
        assertArrayEquals(new int[] {1, 2}, SequenceAgreement.decode(PATHS[0], 0));
        assertArrayEquals(new int[] {1, 1}, SequenceAgreement.decode(PATHS[1], 0), "a blank separates repeats");
        assertArrayEquals(new int[] {2}, SequenceAgreement.decode(PATHS[2], 0), "repeats merge");
        assertArrayEquals(new int[] {}, SequenceAgreement.decode(new int[] {0, 0}, 0));
        assertArrayEquals(new int[] {0, 1}, SequenceAgreement.decode(new int[] {0, 2, 1}, 2), "another blank index");
    }

    @Test
    void sequenceTaskGivesTheKnownAgreements() throws Exception {
        Path reference = save(model(null), "reference.onnx");
        Path candidate = save(model(1), "candidate.onnx");
        Path data = scores();
        EvalResult r = Evaluator.run(new EvalConfig(candidate, reference, "npy:" + data, Task.SEQUENCE, 3,
                RuntimeOptions.threads(1), 0.7), ProgressListener.NONE);
        Fidelity.Result f = r.models().getLast().fidelity().getFirst();
        assertEquals(17.0 / 20, f.sequence().positionAgreement(), 1e-12, "3 of 20 positions change their best class");
        assertEquals(0.5, f.sequence().decodeAgreement(), 1e-12, "items 1 and 2 decode differently");
        assertEquals(20, f.sequence().positions());
        assertEquals(4, f.sequence().items());
        assertNull(f.map());
        assertEquals(10.0, f.maxAbsError(), 1e-6);
    }

    @Test
    void mapTaskThresholdsBothMaps() throws Exception {
        Path reference = save(model(null), "reference.onnx");
        Path candidate = save(model(1), "candidate.onnx");
        EvalResult r = Evaluator.run(new EvalConfig(candidate, reference, "npy:" + scores(), Task.MAP, 4,
                RuntimeOptions.threads(1), 0.7, 0.5), ProgressListener.NONE);
        Fidelity.Result f = r.models().getLast().fidelity().getFirst();
        // 20 marked positions in the reference; the candidate marks the blank at position 1 of every item, where
        // items 0, 1 and 2 had another class marked (now both) and item 3 had the blank already.
        assertEquals(57.0 / 60, f.map().agreement(), 1e-12, "3 of 60 scores cross the threshold");
        assertEquals(20.0 / 23, f.map().iou(), 1e-12);
    }

    @Test
    void sequenceAndMapNeedAReference() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EvalConfig(dir, null,
                "synthetic:1", Task.SEQUENCE, 1, RuntimeOptions.threads(1), 0.7));
        assertEquals("--task sequence compares with a reference: give --reference (e.g. the float original)",
                e.getMessage());
    }

    /** Y = X, or Y = X + 10 at the blank of position {@code bumped}. */
    private static Model model(Integer bumped) {
        Graph g = new Graph("ctc");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(-1, 5, 3)));
        g.addInput(x);
        float[] bias = new float[15];
        if (bumped != null) {
            bias[bumped * 3] = 10f;
        }
        Value b = g.addInitializer(Tensor.ofFloats("bias", bias, 5, 3));
        g.addOutput(g.append(Node.of("Add", List.of(x, b), List.of("scores"))).output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private Path save(Model m, String name) throws Exception {
        Path p = dir.resolve(name);
        ModelIO.save(m, p);
        return p;
    }

    /** One-hot scores along the paths, as x.npy [4, 5, 3]. */
    private Path scores() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * 5 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] path : PATHS) {
            for (int k : path) {
                for (int c = 0; c < 3; c++) {
                    b.putFloat(c == k ? 1f : 0f);
                }
            }
        }
        Path p = dir.resolve("x.npy");
        Files.write(p, BadDataTestAccess.npy("<f4", "(4, 5, 3)", b.array()));
        return p;
    }
}
