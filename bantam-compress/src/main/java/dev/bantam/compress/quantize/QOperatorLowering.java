package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a QDQ graph into the QOperator format: each {@code DequantizeLinear -> op -> QuantizeLinear} group
 * becomes one integer operator reading and writing quantized tensors (QLinearConv, QLinearMatMul from
 * ai.onnx; QGemm, QLinearAdd, QLinearMul, QLinearGlobalAveragePool, QLinearAveragePool, QLinearConcat from
 * com.microsoft, which ONNX Runtime implements); data-movement operators run on the quantized tensor
 * directly. A MatMul whose output stays float becomes MatMulIntegerToFloat. Groups that match no form are
 * left in QDQ form and named in the returned notes.
 */
final class QOperatorLowering {

    static final String MS = "com.microsoft";
    private static final Set<String> ON_QUANTIZED = Set.of("MaxPool", "Reshape", "Transpose", "Flatten", "Squeeze",
            "Unsqueeze");

    private QOperatorLowering() {
    }

    /** A DequantizeLinear's inputs: quantized tensor, scale, zero point. */
    private record Dq(Value q, Value scale, Value zeroPoint) {
    }

    static List<String> lower(Model model) {
        Map<String, Integer> lowered = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (Node n : StaticPlan.depthFirst(model.graph())) {
            if (!n.normalizedDomain().isEmpty() || n.isStandard("QuantizeLinear") || n.isStandard("DequantizeLinear")) {
                continue;
            }
            Optional<Node> q = outputQuantizer(n);
            Node replacement = switch (n.opType()) {
                case "Conv" -> q.isPresent() ? conv(n, q.get()) : null;
                case "MatMul" -> q.isPresent() ? linear("QLinearMatMul", "", n, q.get()) : matMulToFloat(n);
                case "Gemm" -> gemm(n, q.orElse(null));
                case "Add" -> q.isPresent() ? linear("QLinearAdd", MS, n, q.get()) : null;
                case "Mul" -> q.isPresent() ? linear("QLinearMul", MS, n, q.get()) : null;
                case "GlobalAveragePool", "AveragePool" -> q.isPresent() ? pool(n, q.get()) : null;
                case "Concat" -> q.isPresent() ? concat(n, q.get()) : null;
                default -> ON_QUANTIZED.contains(n.opType()) && q.isPresent() ? onQuantized(n, q.get()) : null;
            };
            if (replacement == null) {
                if (n.inputs().stream().anyMatch(v -> dq(v).isPresent()) && !n.isStandard("Relu") && !n.isStandard("Clip")) {
                    notes.add("QOperator: " + n.displayName() + " (" + n.opType() + ") left in QDQ form");
                }
                continue;
            }
            lowered.merge(replacement.opType(), 1, Integer::sum);
        }
        if (lowered.keySet().stream().anyMatch(k -> Set.of("QGemm", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool",
                "QLinearAveragePool", "QLinearConcat", "MatMulIntegerToFloat").contains(k))
                && model.opsetVersion(MS).isEmpty()) {
            model.opsetImports().add(new OpsetId(MS, 1));
        }
        notes.add(0, "QOperator: " + lowered);
        return notes;
    }

    private static Optional<Dq> dq(Value v) {
        if (v == null || v.producer() == null || !v.producer().isStandard("DequantizeLinear")) {
            return Optional.empty();
        }
        Node d = v.producer();
        return Optional.of(new Dq(d.input(0), d.input(1), d.inputs().size() > 2 ? d.input(2) : null));
    }

    /** The QuantizeLinear that is the only reader of n's output. */
    private static Optional<Node> outputQuantizer(Node n) {
        Value y = n.outputs().isEmpty() ? null : n.output(0);
        if (y == null || y.isGraphOutput() || y.uses().size() != 1) {
            return Optional.empty();
        }
        Node q = y.uses().get(0).node();
        return q.isStandard("QuantizeLinear") && y.uses().get(0).index() == 0 ? Optional.of(q) : Optional.empty();
    }

    private static boolean allDq(Node n, int count) {
        for (int i = 0; i < count; i++) {
            if (i >= n.inputs().size() || dq(n.input(i)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Node conv(Node n, Node q) {
        boolean bias = n.inputs().size() > 2 && n.input(2) != null;
        if (!allDq(n, bias ? 3 : 2)) {
            return null;
        }
        Dq x = dq(n.input(0)).get();
        Dq w = dq(n.input(1)).get();
        List<Value> in = new ArrayList<>(List.of(x.q(), x.scale(), x.zeroPoint(), w.q(), w.scale(), w.zeroPoint(),
                q.input(1), q.input(2)));
        if (bias) {
            in.add(dq(n.input(2)).get().q());
        }
        return swap(n, q, new Node("", "QLinearConv", in, List.of(fresh(n)), n.attributes()));
    }

    /** QLinearMatMul, QLinearAdd, QLinearMul: (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp). */
    private static Node linear(String op, String domain, Node n, Node q) {
        if (!allDq(n, 2)) {
            return null;
        }
        Dq a = dq(n.input(0)).get();
        Dq b = dq(n.input(1)).get();
        return swap(n, q, new Node(domain, op, List.of(a.q(), a.scale(), a.zeroPoint(), b.q(), b.scale(), b.zeroPoint(),
                q.input(1), q.input(2)), List.of(fresh(n)), List.of()));
    }

    private static Node matMulToFloat(Node n) {
        if (!allDq(n, 2)) {
            return null;
        }
        Dq a = dq(n.input(0)).get();
        Dq b = dq(n.input(1)).get();
        Node r = new Node(MS, "MatMulIntegerToFloat", List.of(a.q(), b.q(), a.scale(), b.scale(), a.zeroPoint(), b.zeroPoint()),
                List.of(fresh(n)), List.of());
        return swap(n, null, r);
    }

    private static Node gemm(Node n, Node q) {
        boolean bias = n.inputs().size() > 2 && n.input(2) != null;
        if (!allDq(n, bias ? 3 : 2)) {
            return null;
        }
        Dq a = dq(n.input(0)).get();
        Dq b = dq(n.input(1)).get();
        List<Value> in = new ArrayList<>(List.of(a.q(), a.scale(), a.zeroPoint(), b.q(), b.scale(), b.zeroPoint()));
        in.add(bias ? dq(n.input(2)).get().q() : null);
        if (q != null) {
            in.add(q.input(1));
            in.add(q.input(2));
        }
        List<Attribute> attrs = n.attributes().stream()
                .filter(at -> Set.of("transA", "transB", "alpha").contains(at.name())).toList();
        return swap(n, q, new Node(MS, "QGemm", in, List.of(fresh(n)), attrs));
    }

    private static Node pool(Node n, Node q) {
        if (!allDq(n, 1)) {
            return null;
        }
        Dq x = dq(n.input(0)).get();
        String op = n.isStandard("GlobalAveragePool") ? "QLinearGlobalAveragePool" : "QLinearAveragePool";
        List<Attribute> attrs = new ArrayList<>(n.attributes());
        attrs.add(Attribute.ofInt("channels_last", 0));
        return swap(n, q, new Node(MS, op, List.of(x.q(), x.scale(), x.zeroPoint(), q.input(1), q.input(2)),
                List.of(fresh(n)), attrs));
    }

    private static Node concat(Node n, Node q) {
        if (!allDq(n, n.inputs().size())) {
            return null;
        }
        List<Value> in = new ArrayList<>(List.of(q.input(1), q.input(2)));
        for (Value v : n.inputs()) {
            Dq d = dq(v).get();
            in.add(d.q());
            in.add(d.scale());
            in.add(d.zeroPoint());
        }
        return swap(n, q, new Node(MS, "QLinearConcat", in, List.of(fresh(n)), n.attributes()));
    }

    /** Data movement with the same scale on both sides: the operator reads the quantized tensor itself. */
    private static Node onQuantized(Node n, Node q) {
        Optional<Dq> x = dq(n.input(0));
        if (x.isEmpty() || x.get().scale() != q.input(1) && !sameConstant(x.get().scale(), q.input(1))
                || !sameConstant(x.get().zeroPoint(), q.input(2))) {
            return null;
        }
        List<Value> in = new ArrayList<>(n.inputs());
        in.set(0, x.get().q());
        return swap(n, q, new Node("", n.opType(), in, List.of(fresh(n)), n.attributes()));
    }

    private static boolean sameConstant(Value a, Value b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        var ta = a.constantValue();
        var tb = b.constantValue();
        return ta.isPresent() && tb.isPresent() && ta.get().dataType() == tb.get().dataType()
                && ta.get().bytes().mismatch(tb.get().bytes()) == -1;
    }

    private static String fresh(Node n) {
        return n.graph().uniqueName(n.output(0).name() + "_quantized");
    }

    /** Puts r where n was; r's output replaces q's output (or n's own output when q is null). */
    private static Node swap(Node n, Node q, Node r) {
        Graph g = n.graph();
        g.insertBefore(n, r);
        Value out = q == null ? n.output(0) : q.output(0);
        r.output(0).setType(out.type());
        out.replaceKeepingOutputName(r.output(0), "_replaced");
        if (q != null) {
            g.remove(q, true);
        }
        g.remove(n, true);
        return r;
    }
}
