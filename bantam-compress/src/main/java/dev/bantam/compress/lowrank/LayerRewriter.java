package dev.bantam.compress.lowrank;

import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces a layer by its two factors: MatMul by two MatMuls, Gemm by two Gemms, a convolution by a k×k (or
 * kh×1) convolution to r channels and a 1×1 (or 1×kw) one to the outputs. The bias stays on the second node;
 * the second node's output takes over the layer's output (and name, when it is a graph output).
 */
final class LayerRewriter {

    private LayerRewriter() {
    }

    /** Rewrites the layer; returns the nodes that replace it, in order. */
    static List<Node> rewrite(Layer l, double[][] factors, int r) {
        return switch (l.form()) {
            case MATRIX -> matrix(l, factors[0], factors[1], r);
            case CHANNEL -> channel(l, factors[0], factors[1], r);
            case SPATIAL -> spatial(l, factors[0], factors[1], r);
            case TUCKER -> tucker(l, factors[0], factors[1], factors[2], r);
        };
    }

    private static List<Node> matrix(Layer l, double[] a, double[] b, int r) {
        Node n = l.node();
        Graph g = n.graph();
        String base = n.input(1).name();
        Value wa = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_lowrank_a"), floats(a), l.k(), r));
        Value wb = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_lowrank_b"), floats(b), r, l.n()));
        String op = n.opType();
        Node first = g.insertBefore(n, Node.of(op, List.of(n.input(0), wa), List.of(g.uniqueName(n.output(0).name() + "_lowrank"))));
        List<Value> second = new ArrayList<>(List.of(first.output(0), wb));
        if (op.equals("Gemm") && n.inputs().size() > 2 && n.input(2) != null) {
            second.add(n.input(2));
        }
        Node last = g.insertBefore(n, Node.of(op, second, List.of(g.uniqueName(n.output(0).name() + "_factored"))));
        replace(n, last);
        return List.of(first, last);
    }

    private static List<Node> channel(Layer l, double[] a, double[] b, int r) {
        Node n = l.node();
        Graph g = n.graph();
        long[] d = l.weight().dims();
        int k = l.k();
        int m = l.n();
        float[] w1 = new float[r * k]; // [r, C, kh, kw]: filter t is column t of A
        for (int t = 0; t < r; t++) {
            for (int q = 0; q < k; q++) {
                w1[t * k + q] = (float) a[q * r + t];
            }
        }
        float[] w2 = new float[m * r]; // [M, r, 1, 1]
        for (int o = 0; o < m; o++) {
            for (int t = 0; t < r; t++) {
                w2[o * r + t] = (float) b[t * m + o];
            }
        }
        PatchGram.Geometry geo = l.geometry();
        return convPair(n, n.input(0), Tensor.ofFloats("", w1, r, d[1], d[2], d[3]), attrs(geo.kh(), geo.kw(), geo.sh(), geo.sw(),
                new long[] {geo.pt(), geo.pl(), geo.pb(), geo.pr()}, geo.dh(), geo.dw()), Tensor.ofFloats("", w2, m, r, 1, 1),
                attrs(1, 1, 1, 1, new long[] {0, 0, 0, 0}, 1, 1));
    }

    private static List<Node> spatial(Layer l, double[] p, double[] q, int r) {
        Node n = l.node();
        long[] d = l.weight().dims();
        int m = (int) d[0];
        int c = (int) d[1];
        int kh = (int) d[2];
        int kw = (int) d[3];
        float[] v = new float[r * c * kh]; // [r, C, kh, 1]
        for (int t = 0; t < r; t++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < kh; i++) {
                    v[(t * c + ch) * kh + i] = (float) p[(ch * kh + i) * r + t];
                }
            }
        }
        float[] h = new float[m * r * kw]; // [M, r, 1, kw]
        for (int o = 0; o < m; o++) {
            for (int t = 0; t < r; t++) {
                for (int j = 0; j < kw; j++) {
                    h[(o * r + t) * kw + j] = (float) q[t * (m * kw) + o * kw + j];
                }
            }
        }
        PatchGram.Geometry geo = l.geometry();
        return convPair(n, n.input(0), Tensor.ofFloats("", v, r, c, kh, 1), attrs(kh, 1, geo.sh(), 1, new long[] {geo.pt(), 0, geo.pb(), 0},
                geo.dh(), 1), Tensor.ofFloats("", h, m, r, 1, kw), attrs(1, kw, 1, geo.sw(),
                new long[] {0, geo.pl(), 0, geo.pr()}, 1, geo.dw()));
    }

    private static List<Node> tucker(Layer l, double[] uin, double[] core, double[] uout, int r) {
        Node n = l.node();
        Graph g = n.graph();
        long[] d = l.weight().dims();
        int m = (int) d[0];
        int c = (int) d[1];
        int r1 = Tucker.inRank(r, c);
        int r2 = Tucker.outRank(r, m);
        float[] a = new float[r1 * c]; // [r1, C, 1, 1]
        for (int t = 0; t < r1; t++) {
            for (int ch = 0; ch < c; ch++) {
                a[t * c + ch] = (float) uin[ch * r1 + t];
            }
        }
        float[] z = new float[m * r2]; // [M, r2, 1, 1]
        for (int o = 0; o < m; o++) {
            for (int t = 0; t < r2; t++) {
                z[o * r2 + t] = (float) uout[o * r2 + t];
            }
        }
        String base = n.input(1).name();
        Value wa = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_tucker_in"), a, r1, c, 1, 1));
        Node first = g.insertBefore(n, new Node("", "Conv", List.of(n.input(0), wa),
                List.of(g.uniqueName(n.output(0).name() + "_tucker_in")), attrs(1, 1, 1, 1, new long[] {0, 0, 0, 0}, 1, 1)));
        PatchGram.Geometry geo = l.geometry();
        List<Node> pair = convPair(n, first.output(0), Tensor.ofFloats("", floats(core), r2, r1, d[2], d[3]),
                attrs(geo.kh(), geo.kw(), geo.sh(), geo.sw(), new long[] {geo.pt(), geo.pl(), geo.pb(), geo.pr()},
                        geo.dh(), geo.dw()), Tensor.ofFloats("", z, m, r2, 1, 1), attrs(1, 1, 1, 1, new long[] {0, 0, 0, 0}, 1, 1));
        return List.of(first, pair.get(0), pair.get(1));
    }

    private static List<Attribute> attrs(int kh, int kw, int sh, int sw, long[] pads, int dh, int dw) {
        return List.of(Attribute.ofInts("dilations", dh, dw), Attribute.ofInt("group", 1), Attribute.ofInts("kernel_shape", kh, kw),
                Attribute.ofInts("pads", pads), Attribute.ofInts("strides", sh, sw));
    }

    /** Conv(Conv(x, first), second, the layer's bias) in place of the layer; returns the two convolutions. */
    private static List<Node> convPair(Node n, Value x, Tensor first, List<Attribute> firstAttrs, Tensor second,
                                 List<Attribute> secondAttrs) {
        Graph g = n.graph();
        String base = n.input(1).name();
        Value w1 = g.addInitializer(first.withName(g.uniqueName(base + "_lowrank_a")));
        Value w2 = g.addInitializer(second.withName(g.uniqueName(base + "_lowrank_b")));
        Node c1 = g.insertBefore(n, new Node("", "Conv", List.of(x, w1),
                List.of(g.uniqueName(n.output(0).name() + "_lowrank")), firstAttrs));
        List<Value> in2 = new ArrayList<>(List.of(c1.output(0), w2));
        if (n.inputs().size() > 2 && n.input(2) != null) {
            in2.add(n.input(2));
        }
        Node c2 = g.insertBefore(n, new Node("", "Conv", in2, List.of(g.uniqueName(n.output(0).name() + "_factored")),
                secondAttrs));
        replace(n, c2);
        return List.of(c1, c2);
    }

    private static void replace(Node old, Node second) {
        second.output(0).setType(old.output(0).type());
        old.output(0).replaceKeepingOutputName(second.output(0), "_float");
        old.graph().remove(old, true);
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
