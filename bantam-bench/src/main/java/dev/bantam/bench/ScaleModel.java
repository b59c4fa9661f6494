package dev.bantam.bench;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveOptions;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a transformer-shaped float model larger than memory budgets: {@code layers} blocks of LayerNormalization,
 * Q/K/V and output projections [d, d] and a feed-forward pair [d, ff] / [ff, d] with residual Adds (the attention
 * itself replaced by Q + K + V, which keeps every shape), weights uniform with variance 1/fan-in from a fixed
 * seed, all in one external data file. d = 4096 and ff = 11008 (a 7B model's widths); 14 layers are 8.8 GB.
 *
 * <p>Usage: {@code ScaleModel OUT.onnx [--layers N] [--width D] [--ff F]}
 */
public final class ScaleModel {

    private ScaleModel() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int layers = 14;
        int d = 4096;
        int ff = 11008;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--layers" -> layers = Integer.parseInt(args[++i]);
                case "--width" -> d = Integer.parseInt(args[++i]);
                case "--ff" -> ff = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Arena arena = Arena.ofConfined()) {
            Model m = build(arena, layers, d, ff);
            ModelIO.save(m, out, new SaveOptions(SaveOptions.Mode.EXTERNAL, out.getFileName() + ".data",
                    SaveOptions.DEFAULT_THRESHOLD));
        }
        System.err.printf(Locale.ROOT, "wrote %s: %d layers, width %d, ff %d%n", out, layers, d, ff);
    }

    static Model build(Arena arena, int layers, int d, int ff) {
        Graph g = new Graph("scale");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, new Shape(List.of(Dim.of("batch"),
                Dim.of("sequence"), Dim.of(d)))));
        g.addInput(x);
        long seed = 1;
        Value h = x;
        Value ones = g.addInitializer(Tensor.ofFloats("ln_gamma", filled(d, 1f), d));
        Value zeros = g.addInitializer(Tensor.ofFloats("ln_beta", new float[d], d));
        for (int l = 0; l < layers; l++) {
            String p = "layer" + l + ".";
            Value a = op(g, "LayerNormalization", p + "ln1", List.of(h, ones, zeros), Attribute.ofInt("axis", -1));
            Value q = op(g, "MatMul", p + "q", List.of(a, weight(g, arena, p + "q.weight", d, d, seed++)));
            Value k = op(g, "MatMul", p + "k", List.of(a, weight(g, arena, p + "k.weight", d, d, seed++)));
            Value v = op(g, "MatMul", p + "v", List.of(a, weight(g, arena, p + "v.weight", d, d, seed++)));
            Value t = op(g, "Add", p + "qkv", List.of(op(g, "Add", p + "qk", List.of(q, k)), v));
            Value o = op(g, "MatMul", p + "o", List.of(t, weight(g, arena, p + "o.weight", d, d, seed++)));
            h = op(g, "Add", p + "res1", List.of(h, o));
            Value c = op(g, "LayerNormalization", p + "ln2", List.of(h, ones, zeros), Attribute.ofInt("axis", -1));
            Value up = op(g, "MatMul", p + "up", List.of(c, weight(g, arena, p + "up.weight", d, ff, seed++)));
            Value down = op(g, "MatMul", p + "down", List.of(op(g, "Relu", p + "relu", List.of(up)),
                    weight(g, arena, p + "down.weight", ff, d, seed++)));
            h = op(g, "Add", p + "res2", List.of(h, down));
        }
        g.addOutput(h);
        h.setType(x.type());
        Model m = new Model(g);
        m.setIrVersion(10L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static Value op(Graph g, String type, String name, List<Value> inputs, Attribute... attrs) {
        return g.append(Node.of(type, inputs, List.of(name), attrs)).output(0);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** [rows, cols] uniform in ±√(3 / rows) (variance 1/fan-in), from a xorshift generator seeded per tensor. */
    private static Value weight(Graph g, Arena arena, String name, int rows, int cols, long seed) {
        long n = (long) rows * cols;
        MemorySegment s = arena.allocate(n * 4, 64);
        double a = Math.sqrt(3.0 / rows);
        long z = seed * 0x9E3779B97F4A7C15L;
        for (long i = 0; i < n; i++) {
            z ^= z << 13;
            z ^= z >>> 7;
            z ^= z << 17;
            s.setAtIndex(Tensor.FLOAT_LE, i, (float) (((z >>> 40) * 0x1p-24 * 2 - 1) * a));
        }
        return g.addInitializer(Tensor.ofBytes(name, DataType.FLOAT, new long[] {rows, cols}, s));
    }
}
