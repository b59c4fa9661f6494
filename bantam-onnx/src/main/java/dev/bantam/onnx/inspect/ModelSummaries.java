package dev.bantam.onnx.inspect;

import dev.bantam.onnx.check.CheckReport;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link ModelSummary}; reads tensor metadata only, never tensor bytes. */
public final class ModelSummaries {

    private static final int LARGEST = 10;

    private ModelSummaries() {
    }

    public static ModelSummary of(Model m, long fileBytes, CheckReport check) {
        Map<String, Integer> histogram = new TreeMap<>();
        int[] subgraphs = {0};
        int[] nodes = {0};
        List<Graph> roots = new ArrayList<>(List.of(m.graph()));
        m.functions().stream().map(Function::body).forEach(roots::add);
        for (Graph root : roots) {
            root.forEachNodeRecursive(n -> {
                nodes[0]++;
                subgraphs[0] += n.subgraphs().size();
                String d = n.normalizedDomain();
                histogram.merge(d.isEmpty() ? n.opType() : d + ":" + n.opType(), 1, Integer::sum);
            });
        }
        List<ModelSummary.TensorEntry> tensors = tensors(m);
        Map<String, long[]> byType = new TreeMap<>();
        long params = 0;
        long bytes = 0;
        for (ModelSummary.TensorEntry t : tensors) {
            long n = t.shape().contains(0L) ? 0 : t.shape().stream().reduce(1L, (a, b) -> {
                long hi = Math.multiplyHigh(a, b);
                return hi != 0 || a * b < 0 ? Long.MAX_VALUE : a * b; // the checker reports sizes that overflow
            });
            params = n > Long.MAX_VALUE - params ? Long.MAX_VALUE : params + n;
            bytes += t.bytes();
            long[] acc = byType.computeIfAbsent(t.dataType(), k -> new long[3]);
            acc[0]++;
            acc[1] += n;
            acc[2] += t.bytes();
        }
        List<ModelSummary.TypeTotal> totals = byType.entrySet().stream()
                .map(e -> new ModelSummary.TypeTotal(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .sorted(Comparator.comparingLong(ModelSummary.TypeTotal::bytes).reversed()).toList();
        List<ModelSummary.TensorEntry> largest = tensors.stream()
                .sorted(Comparator.comparingLong(ModelSummary.TensorEntry::bytes).reversed()
                        .thenComparing(ModelSummary.TensorEntry::name))
                .limit(LARGEST).toList();
        String producer = join(m.producerName(), m.producerVersion());
        return new ModelSummary(m.source() == null ? null : m.source().toString(), fileBytes, m.irVersion(),
                producer, m.opsetImports().stream().map(o -> new ModelSummary.Opset(
                        o.normalizedDomain().isEmpty() ? "ai.onnx" : o.normalizedDomain(), o.version())).toList(),
                io(m.graph().inputs().stream().filter(v -> v.initializer() == null).toList()),
                io(m.graph().outputs()), nodes[0], subgraphs[0], m.functions().size(), histogram, params, bytes,
                totals, largest, QuantizationDetector.detect(m, histogram), externalFiles(m),
                check.errors().size(), check.warnings().size());
    }

    private static String join(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b == null ? "" : b;
        }
        return b == null || b.isEmpty() ? a : a + " " + b;
    }

    private static List<ModelSummary.Io> io(List<Value> values) {
        return values.stream().map(v -> new ModelSummary.Io(v.name(), v.type() == null ? "?" : v.type().toString()))
                .toList();
    }

    /** Parameters and their bytes, as {@link #of} counts them: the one definition every report uses. */
    public record Parameters(long count, long bytes) {
    }

    /** Elements and bytes of the model's parameters (see {@link #tensors}). */
    public static Parameters parameters(Model m) {
        long count = 0;
        long bytes = 0;
        for (ModelSummary.TensorEntry t : tensors(m)) {
            count += t.shape().stream().reduce(1L, Math::multiplyExact);
            bytes += t.bytes();
        }
        return new Parameters(count, bytes);
    }

    /**
     * Parameters: initializers (not overridable inputs), sparse initializers (counted at their dense shape, their
     * stored bytes) and Constant-node tensors of every graph.
     */
    private static List<ModelSummary.TensorEntry> tensors(Model m) {
        List<ModelSummary.TensorEntry> out = new ArrayList<>();
        for (Graph g : m.graph().graphsRecursive()) {
            for (Value v : g.initializers()) {
                out.add(entry(v.initializer(), v.name(), "initializer"));
            }
            for (Value v : g.sparseInitializers()) { // the dense shape's parameters, the stored bytes
                dev.bantam.onnx.ir.SparseTensor st = v.sparseInitializer();
                out.add(new ModelSummary.TensorEntry(v.name(), st.values().dataType().name(),
                        Arrays.stream(st.dims()).boxed().toList(), st.values().storedByteSize()
                        + st.indices().storedByteSize(), "sparse initializer (" + st.values().elementCount() + " non-zeros)"));
            }
            for (Node n : g) {
                if (n.isStandard("Constant")) {
                    for (Attribute a : n.attributes()) {
                        if (a.value() instanceof AttributeValue.TensorValue t) {
                            out.add(entry(t.value(), n.output(0) == null ? "" : n.output(0).name(), "Constant node"));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static ModelSummary.TensorEntry entry(Tensor t, String name, String storage) {
        long bytes;
        try {
            // STRING and UNDEFINED have no fixed width; a shape whose size overflows is the checker's to report
            bytes = t.dataType().bitWidth() == 0 ? t.storedByteSize() : t.expectedByteSize();
        } catch (ArithmeticException | IllegalStateException e) {
            bytes = t.storedByteSize();
        }
        return new ModelSummary.TensorEntry(name, t.dataType().name(), Arrays.stream(t.dims()).boxed().toList(),
                bytes, storage + (t.isExternal() ? " (external)" : ""));
    }

    private static List<ModelSummary.ExternalFile> externalFiles(Model m) {
        Map<String, long[]> files = new LinkedHashMap<>();
        for (Tensor t : m.tensorsRecursive()) {
            if (t.data() instanceof TensorData.External e) {
                long[] acc = files.computeIfAbsent(e.location().location(), k -> new long[2]);
                acc[0]++;
                acc[1] += e.location().effectiveLength();
            }
        }
        return files.entrySet().stream()
                .map(e -> new ModelSummary.ExternalFile(e.getKey(), (int) e.getValue()[0], e.getValue()[1])).toList();
    }
}
