package dev.bantam.compress.stats;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * {@code XᵀX} over the input patches of a 2-D convolution: every output position reads a patch of
 * C·kh·kw values (zeros where the kernel overlaps the padding), ordered (channel, kernel row, kernel column) as
 * the convolution's weight is, and the matrix sums {@code p pᵀ} over all patches. Data-aware low-rank
 * factorization of a convolution whitens with it. Each item is summed on its own in double and added into
 * {@link ExactSums}, so the result merges exactly, like {@link GramMatrix}.
 */
public final class PatchGram implements Accumulator<PatchGram> {

    /** The convolution's geometry: kernel, strides, pads (top, left, bottom, right) and dilations. */
    public record Geometry(int kh, int kw, int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw) {

        /** The patches of a 2-D ungrouped Conv with weight {@code w} and explicit pads; null for any other. */
        public static Geometry of(dev.bantam.onnx.ir.Node n, dev.bantam.onnx.ir.Tensor w) {
            boolean explicit = n.attribute("auto_pad")
                    .map(a -> ((dev.bantam.onnx.ir.AttributeValue.StringValue) a.value()).text())
                    .map("NOTSET"::equals).orElse(true);
            if (w.rank() != 4 || n.intAttribute("group", 1) != 1 || !explicit) {
                return null;
            }
            long[] s = ints(n, "strides", 1, 1);
            long[] p = ints(n, "pads", 0, 0, 0, 0);
            long[] d = ints(n, "dilations", 1, 1);
            return new Geometry((int) w.dim(2), (int) w.dim(3), (int) s[0], (int) s[1], (int) p[0], (int) p[1],
                    (int) p[2], (int) p[3], (int) d[0], (int) d[1]);
        }

        private static long[] ints(dev.bantam.onnx.ir.Node n, String name, long... dflt) {
            return n.attribute(name).map(a -> ((dev.bantam.onnx.ir.AttributeValue.IntsValue) a.value()).value())
                    .orElse(dflt);
        }
    }

    private final Geometry g;
    private int channels = -1;
    private ExactSums upper;
    private long patches;

    public PatchGram(Geometry geometry) {
        this.g = geometry;
    }

    public Geometry geometry() {
        return g;
    }

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        if (dims.length != 4) {
            throw new IllegalArgumentException("patch Gram matrix: expected an [N, C, H, W] activation, got rank " + dims.length);
        }
        int c = (int) dims[1];
        int h = (int) dims[2];
        int w = (int) dims[3];
        init(c);
        int oh = (h + g.pt() + g.pb() - g.dh() * (g.kh() - 1) - 1) / g.sh() + 1;
        int ow = (w + g.pl() + g.pr() - g.dw() * (g.kw() - 1) - 1) / g.sw() + 1;
        int d = width();
        double[] partial = new double[upper.size()];
        float[] patch = new float[d];
        int base = values.position();
        for (long item = 0; item < dims[0]; item++) {
            Arrays.fill(partial, 0);
            int itemBase = base + (int) (item * c * h * w);
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    fill(values, itemBase, c, h, w, y, x, patch);
                    int e = 0;
                    for (int i = 0; i < d; i++) {
                        double pi = patch[i];
                        if (pi == 0) {
                            e += d - i;
                            continue;
                        }
                        for (int j = i; j < d; j++) {
                            partial[e++] += pi * patch[j];
                        }
                    }
                }
            }
            for (int e = 0; e < partial.length; e++) {
                upper.add(e, partial[e]);
            }
            patches += (long) oh * ow;
        }
    }

    private void fill(FloatBuffer v, int itemBase, int c, int h, int w, int y, int x, float[] patch) {
        int k = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < g.kh(); i++) {
                int row = y * g.sh() - g.pt() + i * g.dh();
                for (int j = 0; j < g.kw(); j++) {
                    int col = x * g.sw() - g.pl() + j * g.dw();
                    float value = row < 0 || row >= h || col < 0 || col >= w ? 0 : v.get(itemBase + (ch * h + row) * w + col);
                    patch[k++] = Float.isFinite(value) ? value : 0;
                }
            }
        }
    }

    private void init(int c) {
        if (upper == null) {
            channels = c;
            int d = width();
            upper = new ExactSums(d * (d + 1) / 2);
        }
        if (channels != c) {
            throw new IllegalArgumentException("patch Gram matrix: the channels changed from " + channels + " to " + c);
        }
    }

    /** C·kh·kw, or -1 before anything was observed. */
    public int width() {
        return channels < 0 ? -1 : channels * g.kh() * g.kw();
    }

    public long patches() {
        return patches;
    }

    @Override
    public void merge(PatchGram other) {
        if (!g.equals(other.g)) {
            throw new IllegalArgumentException("cannot merge patch Gram matrices of different convolutions");
        }
        if (other.upper == null) {
            return;
        }
        init(other.channels);
        upper.merge(other.upper);
        patches += other.patches;
    }

    @Override
    public boolean sameRequestAs(Accumulator<?> other) {
        return other instanceof PatchGram o && o.g.equals(g);
    }

    @Override
    public PatchGram emptyCopy() {
        return new PatchGram(g);
    }

    /** The full symmetric matrix, row-major. */
    public double[] matrix() {
        int d = width();
        double[] m = new double[d * d];
        int e = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = upper.get(e++);
                m[i * d + j] = v;
                m[j * d + i] = v;
            }
        }
        return m;
    }

    public boolean sameAs(PatchGram other) {
        return channels == other.channels && patches == other.patches && (upper == null || upper.sameAs(other.upper));
    }
}
