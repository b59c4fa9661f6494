package dev.bantam.bench;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the big-graph models of issue 10: a chain of {@code nodes} Relu nodes on float[batch,16] and a MatMul by a
 * [16,16] weight (something to quantize), with a doc string
 * of {@code docBytes} ASCII characters on the model and on its first node (0 for none).
 *
 * <p>Usage: {@code BigGraphModel OUT.onnx NODES [DOC_BYTES]}
 */
public final class BigGraphModel {

    private BigGraphModel() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[1]);
        int doc = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Graph g = new Graph("chain");
        ValueType t = ValueType.tensor(DataType.FLOAT, new Shape(List.of(new dev.bantam.onnx.ir.Dim.Symbolic("batch", null), new dev.bantam.onnx.ir.Dim.Fixed(16, null))));
        Value x = new Value("x", t);
        g.addInput(x);
        for (int i = 0; i < nodes; i++) {
            Node n = g.append(Node.of("Relu", List.of(x), List.of("v" + i)));
            n.setName("r" + i);
            x = n.output(0);
        }
        float[] w = new float[16 * 16];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 17) / 16f - 0.5f;
        }
        Value weight = g.addInitializer(dev.bantam.onnx.ir.Tensor.ofFloats("w", w, 16, 16));
        x = g.append(Node.of("MatMul", List.of(x, weight), List.of("y"))).output(0);
        g.addOutput(x);
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        if (doc > 0) {
            m.setDocString("d".repeat(doc / 2));
            g.nodes().getFirst().setDocString("n".repeat(doc - doc / 2));
        }
        ModelIO.save(m, Path.of(args[0]));
    }
}
