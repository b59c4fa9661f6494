package dev.bantam.compress.quantize;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import dev.bantam.onnx.optimize.OpsetUpgrade;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic INT8 quantization in the form ONNX Runtime runs fast: MatMul (and on request Gemm and Conv) with a
 * constant float weight become integer products of weights quantized now and activations quantized at run
 * time ({@link DynamicConvGemm}); LSTM becomes ONNX Runtime's DynamicQuantizeLSTM ({@link DynamicLstm}), GRU and
 * RNN store int8 weights rebuilt at load ({@link DecodedRecurrent}: no integer kernel exists for them);
 * embedding tables read by Gather are stored in 8 bits ({@link EmbeddingQuantizer}). Needs no data. Models below opset 11 are raised to 11 first.
 */
public final class DynamicQuantization implements Technique<DynamicQuantizeConfig, QuantizeReport> {

    private static final Set<String> PRODUCTS = Set.of("MatMul", "Gemm", "Conv");
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");

    @Override
    public DynamicQuantizeConfig defaults() {
        return DynamicQuantizeConfig.defaults();
    }

    @Override
    public QuantizeReport apply(Model model, DynamicQuantizeConfig config, CompressionContext context) {
        AlreadyQuantized.refuse(model);
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        List<String> notes = new ArrayList<>();
        if (opset < 11) { // DynamicQuantizeLinear and MatMulInteger need 11 (10 for MatMulInteger)
            PassManager.once(List.of(new OpsetUpgrade(11))).run(model);
            notes.add("opset raised from " + opset + " to 11 (DynamicQuantizeLinear needs it)");
        }
        List<Decision> decisions = new ArrayList<>();
        Map<Node, Tensor> chosen = select(model, config, decisions);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("nothing to quantize: no " + String.join("/", config.scope().opTypes())
                    + " node with a constant float weight is selected" + (decisions.isEmpty() ? ""
                    : " (" + decisions.getFirst().node() + ": " + decisions.getFirst().reason() + ")")
                    + "; for convolutions add --op-types Conv,Gemm (dynamic Conv runs no faster in ONNX Runtime) "
                    + "or quantize in static mode");
        }
        Map<Graph, DynamicConvGemm> edits = new java.util.IdentityHashMap<>(); // one per graph: If/Loop bodies too
        List<QuantizedTensor> tensors = new ArrayList<>();
        long before = 0;
        long after = 0;
        for (Map.Entry<Node, Tensor> e : chosen.entrySet()) {
            Node n = e.getKey();
            Tensor w = e.getValue();
            if (RECURRENT.contains(n.opType())) {
                WeightLayouts.RecurrentWeights rw = WeightLayouts.recurrent(n).orElseThrow();
                before += rw.w().storedByteSize() + rw.r().storedByteSize();
                after += rw.w().elementCount() + rw.r().elementCount();
                tensors.addAll(n.isStandard("LSTM") ? DynamicLstm.quantize(n, rw, config)
                        : DecodedRecurrent.quantize(n, rw, config));
                continue;
            }
            before += w.storedByteSize();
            Graph g = n.graph();
            DynamicConvGemm edit = edits.computeIfAbsent(g, x -> new DynamicConvGemm(x, config));
            tensors.add(switch (n.opType()) {
                case "Gather" -> EmbeddingQuantizer.quantize(g, n, w, config.perChannel(), weightType(config));
                case "Gemm" -> edit.gemm(n, w);
                case "Conv" -> edit.conv(n, w);
                default -> edit.matMul(n, w);
            });
            after += w.elementCount();
        }
        if (config.weights().signed() && chosen.keySet().stream().anyMatch(n -> n.isStandard("Conv"))) {
            notes.add("Conv weights are stored as uint8 around 128 (ONNX Runtime's ConvInteger takes uint8 only): "
                    + "the same values as symmetric int8");
        }
        if (chosen.keySet().stream().anyMatch(n -> n.isStandard("LSTM")) && model.opsetVersion(DynamicLstm.MS).isEmpty()) {
            model.opsetImports().add(new OpsetId(DynamicLstm.MS, 1));
        }
        long inBodies = chosen.keySet().stream().filter(x -> x.graph() != model.graph()).count();
        if (inBodies > 0) {
            notes.add(inBodies + " of the quantized nodes are inside If/Loop/Scan bodies");
        }
        new DeadCodeElimination().run(model);
        tensors.sort(Comparator.comparingDouble(QuantizedTensor::sqnrDb));
        return new QuantizeReport(name(), config, tensors, decisions, notes, before, after, 0, null, null);
    }

    private static String unsuitableRecurrent(Node n, DynamicQuantizeConfig c) {
        var rw = WeightLayouts.recurrent(n).orElse(null);
        if (rw == null || rw.w().dataType() != DataType.FLOAT || rw.r().dataType() != DataType.FLOAT) {
            return "W or R is not a constant float32 tensor";
        }
        if (n.isStandard("LSTM") && n.intAttribute("layout", 0) != 0) {
            return "layout=1 (batch first), which ONNX Runtime's DynamicQuantizeLSTM does not take";
        }
        if (rw.w().elementCount() + rw.r().elementCount() < c.scope().minWeightSize()) {
            return "weights smaller than " + c.scope().minWeightSize() + " elements";
        }
        return null;
    }

    private static QuantType weightType(DynamicQuantizeConfig c) {
        return c.weights().signed() ? QuantType.INT8 : QuantType.UINT8;
    }

    /**
     * The nodes to quantize with their weights, in graph order, the main graph's then each body's (a weight that a
     * body captures from an enclosing graph is read through the node like any other); a decision for every node
     * of a type in scope.
     */
    private static Map<Node, Tensor> select(Model model, DynamicQuantizeConfig c, List<Decision> decisions) {
        Map<Node, Tensor> chosen = new LinkedHashMap<>();
        for (Node n : model.graph().graphsRecursive().stream().flatMap(g -> g.nodes().stream()).toList()) {
            if (!n.normalizedDomain().isEmpty() || !c.scope().opTypes().contains(n.opType())) {
                continue;
            }
            String why = c.scope().whyNot(n);
            if (why == null) {
                why = unsuitable(n, c);
            }
            if (why != null) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), why));
            } else {
                chosen.put(n, RECURRENT.contains(n.opType()) ? WeightLayouts.recurrent(n).orElseThrow().w()
                        : WeightLayouts.weight(n).orElseThrow());
            }
        }
        List<Node> products = chosen.keySet().stream().filter(n -> PRODUCTS.contains(n.opType())).toList();
        for (Node n : c.scope().firstAndLast(products)) {
            chosen.remove(n);
            decisions.add(Decision.skipped(n.displayName(), n.opType(), "first or last weighted layer (keepFirstLast)"));
        }
        chosen.keySet().forEach(n -> decisions.add(Decision.applied(n.displayName(), n.opType(), "quantized")));
        return chosen;
    }

    /** Why a node in scope cannot be quantized, or null. */
    private static String unsuitable(Node n, DynamicQuantizeConfig c) {
        if (RECURRENT.contains(n.opType())) {
            return unsuitableRecurrent(n, c);
        }
        WeightLayout layout = WeightLayouts.of(n).orElse(null);
        Tensor w = layout == null ? null : layout.weight(n).orElse(null);
        String op = n.opType();
        if (w == null || w.dataType() != DataType.FLOAT || layout.kind() == WeightLayout.Kind.MATMUL_LEFT) {
            return op.equals("Gather") && n.intAttribute("axis", 0) != 0 ? "Gather along an axis other than 0"
                    : "no constant float32 weight to quantize";
        }
        if (op.equals("MatMul") && w.rank() != 2) {
            return "MatMul weight of rank " + w.rank() + " (only 2-D weights)";
        }
        if (op.equals("Gemm") && (n.intAttribute("transA", 0) != 0 || n.floatAttribute("alpha", 1f) != 1f
                || n.floatAttribute("beta", 1f) != 1f)) {
            return "Gemm with transA, alpha or beta (fold them first with bantam optimize)";
        }
        if (w.elementCount() < c.scope().minWeightSize()) {
            return "weight smaller than " + c.scope().minWeightSize() + " elements";
        }
        return null;
    }
}
