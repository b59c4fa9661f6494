package dev.bantam.compress.lowrank;

import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.Optional;

/**
 * A layer that can be factorized, with its weight in matrix form y = x·W (W is K×N): MatMul's weight itself,
 * Gemm's B (transposed back when transB), a convolution's [M, C, kh, kw] weight as (C·kh·kw)×M over its input
 * patches. Spatial SVD uses the convolution's own weight and geometry.
 */
record Layer(Node node, FactorizedLayer.Form form, Tensor weight, double[] matrix, int k, int n,
             PatchGram.Geometry geometry) {

    /** The layer, or the reason it cannot be factorized. */
    static Object of(Node n, ConvFactorization conv) {
        Tensor w = n.inputs().size() > 1 && n.input(1) != null ? n.input(1).constantValue().orElse(null) : null;
        if (w == null || w.dataType() != DataType.FLOAT) {
            return "weight is not a constant float32 tensor";
        }
        return switch (n.opType()) {
            case "MatMul" -> w.rank() == 2 ? new Layer(n, FactorizedLayer.Form.MATRIX, w, doubles(w.toFloatArray()),
                    (int) w.dim(0), (int) w.dim(1), null) : "MatMul weight of rank " + w.rank() + " (only 2-D weights)";
            case "Gemm" -> gemm(n, w);
            default -> conv(n, w, conv);
        };
    }

    private static Object gemm(Node n, Tensor w) {
        if (n.intAttribute("transA", 0) != 0 || n.floatAttribute("alpha", 1f) != 1f || n.floatAttribute("beta", 1f) != 1f) {
            return "Gemm with transA, alpha or beta (fold them first with bantam optimize)";
        }
        float[] v = w.toFloatArray();
        int rows = (int) w.dim(0);
        int cols = (int) w.dim(1);
        if (n.intAttribute("transB", 0) == 0) {
            return new Layer(n, FactorizedLayer.Form.MATRIX, w, doubles(v), rows, cols, null);
        }
        double[] t = new double[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return new Layer(n, FactorizedLayer.Form.MATRIX, w, t, cols, rows, null);
    }

    private static Object conv(Node n, Tensor w, ConvFactorization conv) {
        if (w.rank() != 4) {
            return "Conv of rank " + w.rank() + " (only 2-D convolutions)";
        }
        if (n.intAttribute("group", 1) != 1) {
            return "grouped Conv";
        }
        Optional<String> pad = n.attribute("auto_pad").map(a -> ((AttributeValue.StringValue) a.value()).text());
        if (pad.isPresent() && !pad.get().equals("NOTSET")) {
            return "Conv with auto_pad " + pad.get() + " (explicit pads only)";
        }
        int m = (int) w.dim(0);
        int c = (int) w.dim(1);
        int kh = (int) w.dim(2);
        int kw = (int) w.dim(3);
        long[] s = ints(n, "strides", 1, 1);
        long[] p = ints(n, "pads", 0, 0, 0, 0);
        long[] d = ints(n, "dilations", 1, 1);
        PatchGram.Geometry geo = new PatchGram.Geometry(kh, kw, (int) s[0], (int) s[1], (int) p[0], (int) p[1],
                (int) p[2], (int) p[3], (int) d[0], (int) d[1]);
        float[] v = w.toFloatArray();
        if (conv == ConvFactorization.TUCKER && kh * kw > 1) {
            return new Layer(n, FactorizedLayer.Form.TUCKER, w, null, c, m, geo);
        }
        if (conv == ConvFactorization.SPATIAL && kh > 1 && kw > 1) {
            double[] sp = new double[c * kh * m * kw]; // rows (c, i), columns (o, j)
            for (int o = 0; o < m; o++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            sp[(ch * kh + i) * (m * kw) + o * kw + j] = v[((o * c + ch) * kh + i) * kw + j];
                        }
                    }
                }
            }
            return new Layer(n, FactorizedLayer.Form.SPATIAL, w, sp, c * kh, m * kw, geo);
        }
        int k = c * kh * kw;
        double[] mat = new double[k * m]; // Wᵀ: patches × outputs
        for (int o = 0; o < m; o++) {
            for (int q = 0; q < k; q++) {
                mat[q * m + o] = v[o * k + q];
            }
        }
        return new Layer(n, FactorizedLayer.Form.CHANNEL, w, mat, k, m, geo);
    }

    private static long[] ints(Node n, String name, long... dflt) {
        return n.attribute(name).map(a -> ((AttributeValue.IntsValue) a.value()).value()).orElse(dflt);
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Parameters of the layer's weight now, and after factorizing at rank r. */
    long parametersBefore() {
        return weight.elementCount();
    }

    long parametersAfter(int r) {
        if (form == FactorizedLayer.Form.TUCKER) {
            long c = weight.dim(1);
            long m = weight.dim(0);
            long r1 = Tucker.inRank(r, (int) c);
            long r2 = Tucker.outRank(r, (int) m);
            return r1 * c + r2 * r1 * weight.dim(2) * weight.dim(3) + m * r2;
        }
        if (form == FactorizedLayer.Form.SPATIAL) {
            long m = weight.dim(0);
            long c = weight.dim(1);
            return r * (c * weight.dim(2) + m * weight.dim(3));
        }
        return (long) r * (k + n);
    }

    /** The largest rank that still makes the layer smaller. */
    int breakEven() {
        long before = parametersBefore();
        int r = 0;
        int full = form == FactorizedLayer.Form.TUCKER ? Math.max(k, n) : Math.min(k, n);
        while (r + 1 <= full && parametersAfter(r + 1) < before) {
            r++;
        }
        return r;
    }
}
