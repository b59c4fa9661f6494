package dev.bantam.onnx.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.testing.TestData;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The weight-layout table: which input is the weight and which axis the output channel, per operator. */
class WeightLayoutsTest {

    private final Graph g = new Graph("g");
    private final Value x = input("x");

    private Value input(String name) {
        Value v = new Value(name);
        g.addInput(v);
        return v;
    }

    private Value weight(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return g.addInitializer(Tensor.ofFloats(name, new float[(int) n], dims));
    }

    private WeightLayout layout(String op, List<Value> inputs, Attribute... attrs) {
        Node n = g.append(Node.of(op, inputs, List.of(op + g.nodeCount()), attrs));
        return WeightLayouts.of(n).orElseThrow(() -> new AssertionError(op + " has no layout"));
    }

    @Test
    void convolutions() {
        WeightLayout conv = layout("Conv", List.of(x, weight("w", 8, 4, 3, 3), weight("b", 8)), Attribute.ofInt("group", 2));
        assertEquals(WeightLayout.Kind.CONV, conv.kind());
        assertEquals(1, conv.weightInput());
        assertEquals(0, conv.outputAxis());
        assertEquals(1, conv.inputAxis());
        assertEquals(2, conv.groups());
        assertEquals(2, conv.biasInput());
        assertArrayEquals(new int[] {1, 2, 3}, conv.reductionAxes());
        WeightLayout t = layout("ConvTranspose", List.of(x, weight("wt", 4, 6, 2, 2)), Attribute.ofInt("group", 2));
        assertEquals(1, t.outputAxis(), "ConvTranspose's weight is [C, M/group, k, k]");
        assertEquals(0, t.inputAxis());
        assertEquals(12, t.outputChannels(g.initializer("wt").initializer()), "6 per group, 2 groups");
        assertArrayEquals(new int[] {0, 2, 3}, t.reductionAxes());
    }

    @Test
    void matrices() {
        WeightLayout gemm = layout("Gemm", List.of(x, weight("g0", 16, 32)));
        assertEquals(1, gemm.outputAxis());
        assertEquals(0, gemm.inputAxis());
        WeightLayout gemmT = layout("Gemm", List.of(x, weight("g1", 32, 16), weight("c", 32)), Attribute.ofInt("transB", 1));
        assertEquals(0, gemmT.outputAxis(), "transB: [N, K]");
        assertEquals(1, gemmT.inputAxis());
        assertEquals(2, gemmT.biasInput());
        WeightLayout right = layout("MatMul", List.of(x, weight("m0", 3, 16, 32)));
        assertEquals(WeightLayout.Kind.MATMUL, right.kind());
        assertEquals(2, right.outputAxis());
        assertEquals(1, right.inputAxis());
        assertEquals(-1, right.biasInput());
        WeightLayout left = layout("MatMul", List.of(weight("m1", 32, 16), x));
        assertEquals(WeightLayout.Kind.MATMUL_LEFT, left.kind());
        assertEquals(0, left.weightInput());
        assertEquals(1, left.dataInput());
        assertEquals(0, left.outputAxis(), "W [M, K] times x [K, N]: rows are the outputs");
        assertEquals(1, left.inputAxis());
    }

    @Test
    void embeddingsAndOperatorsWithoutALayout() {
        WeightLayout e = layout("Gather", List.of(weight("table", 100, 8), input("ids")));
        assertEquals(WeightLayout.Kind.EMBEDDING, e.kind());
        assertEquals(0, e.weightInput());
        assertEquals(1, e.outputAxis());
        Node attention = g.append(Node.of("MatMul", List.of(x, input("k")), List.of("scores")));
        assertTrue(WeightLayouts.of(attention).isEmpty(), "two activations: no weight");
        Node along1 = g.append(Node.of("Gather", List.of(weight("t2", 4, 5), input("i")), List.of("g1"),
                Attribute.ofInt("axis", 1)));
        assertTrue(WeightLayouts.of(along1).isEmpty());
        Node relu = g.append(Node.of("Relu", List.of(x), List.of("r")));
        assertEquals(Optional.empty(), WeightLayouts.of(relu));
        Node custom = g.append(new Node("com.example", "Conv", List.of(x, weight("cw", 2, 2, 1, 1)), List.of("c"), List.of()));
        assertTrue(WeightLayouts.of(custom).isEmpty(), "only the standard domain");
    }

    @Test
    void everyWeightedLayerOfARealModel() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/resnet.onnx"));
        int found = 0;
        for (Node n : m.graph()) {
            Optional<WeightLayout> l = WeightLayouts.of(n);
            if (n.isStandard("Conv") || n.isStandard("Gemm")) {
                Tensor w = l.orElseThrow().weight(n).orElseThrow();
                Tensor bias = n.input(l.get().biasInput()).constantValue().orElseThrow();
                assertEquals(bias.elementCount(), l.get().outputChannels(w), n.displayName() + ": one bias per output channel");
                found++;
            }
        }
        assertTrue(found > 10, "resnet has " + found + " weighted layers");
    }
}
