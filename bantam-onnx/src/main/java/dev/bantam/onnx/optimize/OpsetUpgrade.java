package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raises the default-domain opset import, converting the operators whose signature changed on the way:
 * Unsqueeze, Squeeze, ReduceSum and Split (axes or split from attribute to input at 13), the other Reduce
 * operators (at 18), Softmax/LogSoftmax (13; only for the last axis, where old and new semantics agree).
 * Operators known to keep their meaning with default attributes pass unchanged; a model with any other
 * operator is refused with the list, never converted by guesswork. Runs only when asked.
 */
public final class OpsetUpgrade implements Pass {

    private static final Set<String> UNCHANGED = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Erf", "Exp", "Log",
            "Neg", "Abs", "Relu", "Sigmoid", "Tanh", "MatMul", "Gemm", "Conv", "ConvTranspose", "Concat", "Gather",
            "Shape", "Reshape", "Transpose", "Cast", "Constant", "Identity", "Where", "Equal", "Less", "Greater",
            "Expand", "Range", "Flatten", "Tile", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
            "Not", "And", "Or", "Cos", "Sin", "Floor", "Ceil", "Min", "Max", "Sum", "Mean", "ConstantOfShape",
            "HardSigmoid", "HardSwish", "LeakyRelu", "PRelu", "Elu", "Selu", "Softplus", "ArgMax", "ArgMin",
            "Einsum", "CumSum", "Reciprocal", "LayerNormalization", "Gelu", "MatMulInteger", "DynamicQuantizeLinear",
            "Clip", "Dropout", "BatchNormalization", "Slice");
    private static final Set<String> REDUCE_18 = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp");

    private final long target;

    public OpsetUpgrade(long target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "opset-upgrade";
    }

    @Override
    public PassResult run(Model model) {
        long from = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        if (target <= from) {
            return PassResult.unchanged();
        }
        if (!model.functions().isEmpty()) {
            throw new IllegalArgumentException("cannot raise the opset of a model with local functions");
        }
        Set<String> unknown = new TreeSet<>();
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g) {
                if (n.normalizedDomain().isEmpty() && !UNCHANGED.contains(n.opType()) && !adaptable(n.opType())) {
                    unknown.add(n.opType());
                }
                if (n.isStandard("BatchNormalization") && from < 9 || n.isStandard("Slice") && from < 10 && !sliceAdaptable(n)
                        || n.isStandard("Clip") && from < 11 && !clipAdaptable(n)
                        || n.isStandard("Dropout") && from < 12 && target >= 12
                        && n.attribute("ratio").isPresent()) {
                    unknown.add(n.opType() + "-" + from);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cannot raise the opset from " + from + " to " + target
                    + ": no safe conversion for " + String.join(", ", unknown));
        }
        new dev.bantam.onnx.infer.ShapeInference().run(model);
        int adapted = 0;
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g) {
                adapted += adapt(n, g, from) ? 1 : 0;
            }
        }
        model.opsetImports().replaceAll(o -> o.normalizedDomain().isEmpty() ? new OpsetId(o.domain(), target) : o);
        return new PassResult(true, List.of("raised ai.onnx opset " + from + " -> " + target + ", converting " + adapted
                + " nodes"));
    }

    private static boolean adaptable(String op) {
        return Set.of("Unsqueeze", "Squeeze", "ReduceSum", "Split", "Softmax", "LogSoftmax").contains(op)
                || REDUCE_18.contains(op);
    }

    private static boolean isSoftmax(Node n) {
        return n.isStandard("Softmax") || n.isStandard("LogSoftmax");
    }

    /** Moves an attribute to an input where the operator's signature changed between {@code from} and the target. */
    private boolean adapt(Node n, Graph g, long from) {
        if (!n.normalizedDomain().isEmpty()) {
            return false;
        }
        if (isSoftmax(n) && from < 13 && target >= 13) {
            return adaptSoftmax(n, g);
        }
        if (n.isStandard("Clip") && from < 11 && target >= 11) {
            return adaptClip(n, g);
        }
        if (n.isStandard("Slice") && from < 10 && target >= 10) {
            return adaptSlice(n, g);
        }
        String op = n.opType();
        long changedAt = REDUCE_18.contains(op) ? 18 : Set.of("Unsqueeze", "Squeeze", "ReduceSum", "Split").contains(op) ? 13 : 0;
        String attr = op.equals("Split") ? "split" : "axes";
        if (changedAt == 0 || from >= changedAt || target < changedAt) {
            return false;
        }
        var a = n.attribute(attr);
        if (a.isEmpty()) {
            return false;
        }
        long[] values = ((AttributeValue.IntsValue) a.get().value()).value();
        Value input = g.addInitializer(Tensor.ofLongs(Rewiring.freshName(g, n.displayName().replaceAll("\\W", "_") + "_" + attr),
                values, values.length));
        n.removeAttribute(attr);
        while (n.inputs().size() < 1) {
            n.appendInput(null);
        }
        n.appendInput(input);
        return true;
    }

    /**
     * Before opset 13, Softmax(axis=a) normalizes over all dimensions from a on (the input flattened to 2-D);
     * from 13 over dimension a alone. The same for a = -1; otherwise the old meaning is kept exactly with
     * Flatten(a) -> Softmax(-1) -> Reshape(to the input's shape).
     */
    private static boolean adaptSoftmax(Node n, Graph g) {
        long axis = n.intAttribute("axis", 1);
        Value x = n.input(0);
        boolean lastAxis = axis == -1 || x.type() instanceof dev.bantam.onnx.ir.ValueType.TensorType t
                && t.shape() != null && axis == t.shape().rank() - 1;
        if (lastAxis) {
            return false;
        }
        Node shape = Node.of("Shape", List.of(x), List.of(Rewiring.freshName(g, x.name() + "_shape")));
        Node flat = Node.of("Flatten", List.of(x), List.of(Rewiring.freshName(g, x.name() + "_2d")),
                Attribute.ofInt("axis", axis));
        g.insertBefore(n, shape);
        g.insertBefore(n, flat);
        n.replaceInput(0, flat.output(0));
        n.setAttribute(Attribute.ofInt("axis", -1));
        Value out = n.output(0);
        Node reshape = Node.of("Reshape", List.of(), List.of(Rewiring.freshName(g, out.name() + "_nd")));
        g.insertAfter(n, reshape);
        out.replaceAllUsesWith(reshape.output(0), false);
        reshape.appendInput(out);
        reshape.appendInput(shape.output(0));
        if (out.isGraphOutput()) {
            g.replaceOutputKeepingName(out, reshape.output(0), "_2d");
        }
        return true;
    }

    private static boolean clipAdaptable(Node n) {
        return !(n.input(0).type() instanceof dev.bantam.onnx.ir.ValueType.TensorType t) || t.elementType() == null
                || t.elementType() == dev.bantam.onnx.ir.DataType.FLOAT;
    }

    private static boolean sliceAdaptable(Node n) {
        return n.attribute("starts").isPresent() && n.attribute("ends").isPresent();
    }

    /** Clip before 11 takes min and max as attributes (float inputs only here); from 11 as optional inputs. */
    private static boolean adaptClip(Node n, Graph g) {
        Value[] bounds = new Value[2];
        String[] names = {"min", "max"};
        for (int i = 0; i < 2; i++) {
            var a = n.attribute(names[i]);
            if (a.isPresent()) {
                float v = ((AttributeValue.FloatValue) a.get().value()).value();
                bounds[i] = g.addInitializer(Tensor.ofFloats(Rewiring.freshName(g, n.displayName().replaceAll("\\W", "_")
                        + "_" + names[i]), new float[] {v}));
                n.removeAttribute(names[i]);
            }
        }
        if (bounds[0] == null && bounds[1] == null) {
            return false;
        }
        n.appendInput(bounds[0]);
        if (bounds[1] != null) {
            n.appendInput(bounds[1]);
        }
        return true;
    }

    /** Slice before 10 takes starts, ends and axes as attributes; from 10 as inputs (steps default to 1). */
    private static boolean adaptSlice(Node n, Graph g) {
        for (String attr : List.of("starts", "ends", "axes")) {
            var a = n.attribute(attr);
            if (a.isEmpty()) {
                continue;
            }
            long[] values = ((AttributeValue.IntsValue) a.get().value()).value();
            n.appendInput(g.addInitializer(Tensor.ofLongs(Rewiring.freshName(g, n.displayName().replaceAll("\\W", "_")
                    + "_" + attr), values, values.length)));
            n.removeAttribute(attr);
        }
        return true;
    }

    /** For reports: the operators this pass knows. */
    static List<String> known() {
        List<String> out = new ArrayList<>(UNCHANGED);
        out.addAll(REDUCE_18);
        return out;
    }
}
