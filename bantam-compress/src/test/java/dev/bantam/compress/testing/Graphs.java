package dev.bantam.compress.testing;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;
import java.util.Random;

/** Small float graphs, one per kind of quantized operator, built in code. */
public final class Graphs {

    private final Graph g = new Graph("g");
    private final Random random = new Random(7);
    private int counter;

    private Graphs() {
    }

    Value input(String name, long... dims) {
        java.util.List<dev.bantam.onnx.ir.Dim> d = new java.util.ArrayList<>(Shape.of(dims).dims());
        d.set(0, new dev.bantam.onnx.ir.Dim.Symbolic("N", null)); // any batch size
        Value v = new Value(name, ValueType.tensor(DataType.FLOAT, new Shape(d)));
        g.addInput(v);
        return v;
    }

    Value weight(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] w = new float[(int) n];
        double fanIn = n / dims[0];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() / Math.sqrt(fanIn));
        }
        return g.addInitializer(Tensor.ofFloats("w" + counter++, w, dims));
    }

    /** A weight held by a Constant node, as older exporters write them. */
    Value constantNode(long... dims) {
        Value w = weight(dims);
        Tensor t = w.initializer();
        g.removeInitializer(w);
        Node c = g.append(Node.of("Constant", List.of(), List.of("const" + counter++),
                Attribute.ofTensor("value", t.withName(""))));
        return c.output(0);
    }

    Value scalar(float v) {
        return g.addInitializer(Tensor.ofFloats("s" + counter++, new float[] {v}));
    }

    Value op(String type, List<Value> inputs, Attribute... attrs) {
        return g.append(Node.of(type, inputs, List.of(type.toLowerCase() + counter++), attrs)).output(0);
    }

    Value conv(Value x, long out, long in, long k, Attribute... attrs) {
        return op("Conv", List.of(x, weight(out, in, k, k), weight(out)), attrs);
    }

    Model finish(Value... outputs) {
        return finish(13, outputs);
    }

    Model finish(long opset, Value... outputs) {
        for (Value o : outputs) {
            g.addOutput(o);
        }
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", opset));
        return m;
    }

    /**
     * Convolutions in control flow: Conv -> If (then: two Convs, one weight held by the branch, one captured from
     * the main graph; else: a 1x1 Conv no input of [-1, 1] reaches, the condition being max(x) > -10) -> Loop of
     * two iterations (body: Relu(Conv(state)), its weight a Constant node of the body, its bias captured) -> Conv.
     */
    public static Model controlFlow() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 12, 12);
        Value c0 = b.op("Relu", List.of(b.conv(x, 8, 3, 3, pads1())));
        Value max = b.op("ReduceMax", List.of(x), Attribute.ofInt("keepdims", 0));
        Value cond = b.op("Greater", List.of(max, b.g.addInitializer(Tensor.ofFloats("minus10", new float[] {-10f}, new long[0]))));
        Graph then = new Graph("then");
        Value held = then.addInitializer(Tensor.ofFloats("then_w", b.weight(8, 8, 3, 3).initializer().toFloatArray(),
                8, 8, 3, 3));
        Node t1 = then.append(Node.of("Conv", List.of(c0, held), List.of("then_conv"), pads1()));
        Node t2 = then.append(Node.of("Relu", List.of(t1.output(0)), List.of("then_relu")));
        Node t3 = then.append(Node.of("Conv", List.of(t2.output(0), b.weight(8, 8, 3, 3), b.weight(8)),
                List.of("then_out"), pads1()));
        then.addOutput(t3.output(0));
        Graph otherwise = new Graph("else");
        Node e1 = otherwise.append(Node.of("Conv", List.of(c0, b.weight(8, 8, 1, 1)), List.of("else_out")));
        otherwise.addOutput(e1.output(0));
        Value y = b.g.append(Node.of("If", List.of(cond), List.of("branch_out"),
                Attribute.of("then_branch", new AttributeValue.GraphValue(then)),
                Attribute.of("else_branch", new AttributeValue.GraphValue(otherwise)))).output(0);
        Graph body = new Graph("body");
        body.addInput(new Value("iteration", ValueType.tensor(DataType.INT64, Shape.of())));
        Value goOn = new Value("go_on", ValueType.tensor(DataType.BOOL, Shape.of()));
        body.addInput(goOn);
        Value state = new Value("state", ValueType.tensor(DataType.FLOAT, null));
        body.addInput(state);
        Value w = b.weight(8, 8, 3, 3);
        Node held2 = body.append(Node.of("Constant", List.of(), List.of("loop_w"),
                Attribute.ofTensor("value", w.initializer().withName(""))));
        b.g.removeInitializer(w);
        Node l1 = body.append(Node.of("Conv", List.of(state, held2.output(0), b.weight(8)), List.of("loop_conv"),
                pads1()));
        Node l2 = body.append(Node.of("Relu", List.of(l1.output(0)), List.of("loop_relu")));
        Node keep = body.append(Node.of("Identity", List.of(goOn), List.of("go_on_out")));
        body.addOutput(keep.output(0));
        body.addOutput(l2.output(0));
        Value trips = b.g.addInitializer(Tensor.ofLongs("trips", new long[] {2}));
        Value yes = b.g.addInitializer(Tensor.ofBytes("yes", DataType.BOOL, new long[0],
                java.lang.foreign.MemorySegment.ofArray(new byte[] {1})));
        Value looped = b.g.append(Node.of("Loop", List.of(trips, yes, y), List.of("loop_out"),
                Attribute.of("body", new AttributeValue.GraphValue(body)))).output(0);
        return b.finish(b.conv(looped, 4, 8, 1));
    }

    static Attribute pads1() {
        return Attribute.ofInts("pads", 1, 1, 1, 1);
    }

    /**
     * An opset-10 model, Conv -> Relu -> Resize-10 (nearest) -> Conv, whose Resize scales are computed (a Concat of
     * two Constant nodes), so raising its opset cannot know how Resize-10 rounds: it stays at opset 10.
     */
    public static Model opset10Upscale() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value a = b.op("Relu", List.of(b.conv(x, 8, 3, 3, pads1())));
        Value one = b.op("Constant", List.of(), Attribute.ofTensor("value", Tensor.ofFloats("", new float[] {1, 1}, 2)));
        Value two = b.op("Constant", List.of(), Attribute.ofTensor("value", Tensor.ofFloats("", new float[] {2, 2}, 2)));
        Value scales = b.op("Concat", List.of(one, two), Attribute.ofInt("axis", 0));
        Value up = b.op("Resize", List.of(a, scales), Attribute.ofString("mode", "nearest"));
        Model m = b.finish(10, b.conv(up, 8, 8, 3, pads1()));
        m.setIrVersion(5L);
        return m;
    }

    /** Conv -> Relu -> MaxPool -> Conv: the ReLU is folded into the first Conv's output range. */
    public static Model convReluPool() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 12, 12);
        Value a = b.op("Relu", List.of(b.conv(x, 8, 3, 3, pads1())));
        Value p = b.op("MaxPool", List.of(a), Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInts("strides", 2, 2));
        return b.finish(b.conv(p, 16, 8, 3));
    }

    /** Gemm -> Relu -> Gemm (transB = 1, as PyTorch exports Linear). */
    public static Model gemm() {
        Graphs b = new Graphs();
        Value x = b.input("x", 4, 64);
        Value h = b.op("Relu", List.of(b.op("Gemm", List.of(x, b.weight(32, 64), b.weight(32)), Attribute.ofInt("transB", 1))));
        return b.finish(b.op("Gemm", List.of(h, b.weight(10, 32), b.weight(10)), Attribute.ofInt("transB", 1)));
    }

    /** A transformer-style MatMul whose output stays float (bias Add, then a float operator). */
    public static Model matMul() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 5, 64);
        Value y = b.op("Add", List.of(b.op("MatMul", List.of(x, b.weight(64, 48))), b.weight(48)));
        return b.finish(b.op("Tanh", List.of(y)));
    }

    /** Residual block: Relu(Conv(x)) + Conv(x) -> Relu -> Conv. */
    public static Model residualAdd() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 4, 8, 8);
        Value s = b.op("Relu", List.of(b.conv(x, 8, 4, 3, pads1())));
        Value t = b.conv(x, 8, 4, 1);
        Value sum = b.op("Relu", List.of(b.op("Add", List.of(s, t))));
        return b.finish(b.conv(sum, 8, 8, 3, pads1()));
    }

    /** Conv -> GlobalAveragePool -> Flatten -> Gemm. */
    public static Model poolHead() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value c = b.op("Relu", List.of(b.conv(x, 16, 3, 3, pads1())));
        Value f = b.op("Flatten", List.of(b.op("GlobalAveragePool", List.of(c))));
        return b.finish(b.op("Gemm", List.of(f, b.weight(10, 16), b.weight(10)), Attribute.ofInt("transB", 1)));
    }

    /** Two Conv branches concatenated along channels, then a Conv. */
    public static Model concat() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value c = b.op("Concat", List.of(b.conv(x, 8, 3, 1), b.conv(x, 6, 3, 3, pads1())), Attribute.ofInt("axis", 1));
        return b.finish(b.conv(c, 8, 14, 3));
    }

    /** ConvTranspose (weights per output channel on axis 1) -> Relu -> Conv. */
    public static Model convTranspose() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 4, 6, 6);
        Value up = b.op("ConvTranspose", List.of(x, b.weight(4, 6, 2, 2), b.weight(6)), Attribute.ofInts("strides", 2, 2));
        return b.finish(b.conv(b.op("Relu", List.of(up)), 8, 6, 3));
    }

    /** Weights in Constant nodes and ReLU6 written as Clip(0, 6), as in MobileNet exports. */
    public static Model constantWeightsAndClip() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value c = b.op("Conv", List.of(x, b.constantNode(8, 3, 3, 3), b.constantNode(8)), pads1());
        Value r6 = b.op("Clip", List.of(c, b.scalar(0f), b.scalar(6f)));
        return b.finish(b.op("Conv", List.of(r6, b.constantNode(8, 8, 3, 3), b.constantNode(8))));
    }

    /**
     * Two transformer-style blocks: LayerNormalization -> MatMul, twice, the second LayerNormalization reading the
     * first's γ and β (one initializer each, as a deduplicating exporter leaves them); each block's input also
     * goes around it through a residual Add. Opset 17.
     */
    public static Model twoLayerNormsSharingGammaBeta() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 4, 16);
        Value gamma = b.g.addInitializer(Tensor.ofFloats("gamma", ramp(16, 0.5f, 0.1f), 16));
        Value beta = b.g.addInitializer(Tensor.ofFloats("beta", ramp(16, -0.2f, 0.03f), 16));
        Value ln1 = b.op("LayerNormalization", List.of(x, gamma, beta), Attribute.ofInt("axis", -1));
        Value h = b.op("Add", List.of(b.op("MatMul", List.of(ln1, b.weight(16, 16))), x));
        Value ln2 = b.op("LayerNormalization", List.of(h, gamma, beta), Attribute.ofInt("axis", -1));
        Value y = b.op("Add", List.of(b.op("MatMul", List.of(ln2, b.weight(16, 16))), h));
        return b.finish(17, y);
    }

    private static float[] ramp(int n, float start, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return v;
    }

    /** MobileNet-style: Conv 1x1 -> BatchNormalization -> Relu -> depthwise Conv 3x3 (group 8) -> Relu -> Conv 1x1. */
    public static Model depthwiseBlock() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value e = b.conv(x, 8, 3, 1);
        Value mean = b.weight(8);
        Value var = b.g.addInitializer(Tensor.ofFloats("var" + b.counter++, ramp(8, 0.5f, 0.2f), 8));
        Value bn = b.op("Relu", List.of(b.op("BatchNormalization", List.of(e, b.weight(8), b.weight(8), mean, var))));
        Value dw = b.op("Relu", List.of(b.op("Conv", List.of(bn, b.weight(8, 1, 3, 3), b.weight(8)), pads1(),
                Attribute.ofInt("group", 8))));
        return b.finish(b.conv(dw, 6, 8, 1));
    }

    /** Squeeze-and-excitation: a = Relu(Conv(x)); gate = Sigmoid(Conv(Relu(Conv(GAP(a))))); Conv(a · gate). */
    public static Model seBlock() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value a = b.op("Relu", List.of(b.conv(x, 8, 3, 3, pads1())));
        Value squeeze = b.op("Relu", List.of(b.conv(b.op("GlobalAveragePool", List.of(a)), 4, 8, 1)));
        Value gate = b.op("Sigmoid", List.of(b.conv(squeeze, 8, 4, 1)));
        return b.finish(b.conv(b.op("Mul", List.of(a, gate)), 5, 8, 3));
    }

    /** A transformer feed-forward block: MatMul -> Add bias -> Relu -> MatMul, on [B, S, H] (not a graph output until the end). */
    public static Model feedForward() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 5, 16);
        Value h = b.op("Relu", List.of(b.op("Add", List.of(b.op("MatMul", List.of(x, b.weight(16, 32))), b.weight(32)))));
        return b.finish(b.op("MatMul", List.of(h, b.weight(32, 16))));
    }

    /** Conv -> Softmax over the channels -> Conv: the first Conv's channels are read by an operator outside the table. */
    public static Model softmaxOverChannels() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 8, 8);
        Value s = b.op("Softmax", List.of(b.conv(x, 8, 3, 3, pads1())), Attribute.ofInt("axis", 1));
        return b.finish(b.conv(s, 4, 8, 1));
    }

    /** Conv 3x3 stride 2 pads 1 -> Relu -> Conv 3x3 with asymmetric pads and dilation -> Flatten -> Gemm (transB). */
    public static Model stridedConvsAndGemm() {
        Graphs b = new Graphs();
        Value x = b.input("x", 2, 3, 11, 11);
        Value c1 = b.op("Relu", List.of(b.conv(x, 8, 3, 3, Attribute.ofInts("pads", 1, 1, 1, 1),
                Attribute.ofInts("strides", 2, 2))));
        Value c2 = b.conv(c1, 6, 8, 3, Attribute.ofInts("pads", 0, 1, 2, 1), Attribute.ofInts("dilations", 1, 2));
        Value f = b.op("Flatten", List.of(c2));
        return b.finish(b.op("Gemm", List.of(f, b.weight(5, 6 * 6 * 4), b.weight(5)), Attribute.ofInt("transB", 1)));
    }
}
