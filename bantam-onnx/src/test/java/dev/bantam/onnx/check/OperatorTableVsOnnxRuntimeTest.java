package dev.bantam.onnx.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.Ort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The operator table against the schemas compiled into ONNX Runtime: for every ai.onnx operator version, a node
 * with every attribute the table lists and the fewest, or the most, inputs and outputs the table allows passes
 * ONNX Runtime's schema check; one more input or output than the most fails it, and so does leaving out the
 * attributes the table calls required.
 */
class OperatorTableVsOnnxRuntimeTest {

    private static final List<String> SCHEMA_ERRORS = List.of("Unrecognized attribute", "Mismatched attribute",
            "not in range", "No Op registered", "is deprecated", "Required attribute");

    @Test
    void everyOperatorVersionAgreesWithOnnxRuntime() throws OrtException {
        OperatorTable.Domain onnx = OperatorTable.standard().domain("").orElseThrow();
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (List<OperatorVersion> versions : onnx.operators().values()) {
            for (OperatorVersion v : versions) {
                // ONNX Runtime turns Constant nodes into initializers before any schema check.
                if (v.unchecked() || v.deprecated() || v.name().equals("Constant")) {
                    continue;
                }
                int in = v.minInputs();
                int out = v.minOutputs();
                schemaError(v, false, in, out).ifPresent(e -> disagreements.add(v.label() + " as listed: " + e));
                boolean hasRequired = v.attributes().values().stream().anyMatch(AttributeSpec::required);
                if (hasRequired && schemaError(v, true, in, out).isEmpty()) {
                    disagreements.add(v.label() + " without its required attributes: ONNX Runtime accepts it");
                }
                if (v.maxInputs() < 100) {
                    schemaError(v, false, v.maxInputs(), out).ifPresent(e -> disagreements.add(v.label()
                            + " with " + v.maxInputs() + " inputs: " + e));
                    if (schemaError(v, false, v.maxInputs() + 1, out).isEmpty()) {
                        disagreements.add(v.label() + " with " + (v.maxInputs() + 1) + " inputs: ONNX Runtime accepts it");
                    }
                }
                if (v.maxOutputs() < 100) {
                    schemaError(v, false, in, v.maxOutputs()).ifPresent(e -> disagreements.add(v.label()
                            + " with " + v.maxOutputs() + " outputs: " + e));
                    if (schemaError(v, false, in, v.maxOutputs() + 1).isEmpty()) {
                        disagreements.add(v.label() + " with " + (v.maxOutputs() + 1) + " outputs: ONNX Runtime accepts it");
                    }
                }
                checked++;
            }
        }
        assertTrue(checked > 300, "checked only " + checked);
        assertEquals(List.of(), disagreements);
    }

    /** The schema error ONNX Runtime reports for a node of {@code v}, if any. */
    private static Optional<String> schemaError(OperatorVersion v, boolean omitRequired, int inputs, int outputs)
            throws OrtException {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(v.name()).setName("n");
        for (int i = 0; i < inputs; i++) {
            n.addInput("X");
        }
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(Onnx.ValueInfoProto.newBuilder()
                .setName("X").setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(1))));
        for (int i = 0; i < outputs; i++) {
            n.addOutput("Y" + i);
            g.addOutput(Onnx.ValueInfoProto.newBuilder().setName("Y" + i));
        }
        for (AttributeSpec a : v.attributes().values()) {
            if (!(omitRequired && a.required())) {
                n.addAttribute(sample(a));
            }
        }
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(10).addOpsetImport(BadModels.opset("", v.since()))
                .setGraph(g.addNode(n)).build();
        try (OrtSession.SessionOptions o = Ort.options()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(m.toByteArray(), o)) {
                return Optional.empty();
            } catch (OrtException e) {
                String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                return SCHEMA_ERRORS.stream().anyMatch(msg::contains) ? Optional.of(msg) : Optional.empty();
            }
        }
    }

    /** An attribute of the spec's name and type with a harmless value. */
    private static Onnx.AttributeProto sample(AttributeSpec a) {
        Onnx.AttributeProto.Builder b = Onnx.AttributeProto.newBuilder().setName(a.name())
                .setType(Onnx.AttributeProto.AttributeType.forNumber(a.type().code()));
        Onnx.TensorProto scalar = Onnx.TensorProto.newBuilder().setDataType(1).addFloatData(1).build();
        switch (a.type()) {
            case INT -> b.setI(1);
            case INTS -> b.addInts(1);
            case FLOAT -> b.setF(1);
            case FLOATS -> b.addFloats(1);
            case STRING -> b.setS(ByteString.copyFromUtf8("x"));
            case STRINGS -> b.addStrings(ByteString.copyFromUtf8("x"));
            case TENSOR -> b.setT(scalar);
            case TENSORS -> b.addTensors(scalar);
            case GRAPH -> b.setG(Onnx.GraphProto.newBuilder().setName("sub"));
            case GRAPHS -> b.addGraphs(Onnx.GraphProto.newBuilder().setName("sub"));
            case SPARSE_TENSOR -> b.setSparseTensor(Onnx.SparseTensorProto.newBuilder().addDims(1)
                    .setValues(scalar.toBuilder().addDims(1)).setIndices(Onnx.TensorProto.newBuilder().setDataType(7)
                            .addDims(1).addInt64Data(0)));
            case TYPE_PROTO -> b.setTp(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                    .setElemType(1)));
            default -> throw new IllegalStateException("no sample for " + a.type());
        }
        return b.build();
    }
}
