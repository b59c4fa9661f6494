package dev.bantam.onnx.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.AttributeType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator table loads and answers by opset version. */
class OperatorTableTest {

    private final OperatorTable.Domain onnx = OperatorTable.standard().domain("").orElseThrow();

    @Test
    void picksTheVersionInForceAtAnOpset() {
        assertEquals(1, onnx.at("Conv", 10).orElseThrow().since());
        assertEquals(11, onnx.at("Conv", 17).orElseThrow().since());
        assertTrue(onnx.at("Gelu", 19).isEmpty());
        assertEquals(20, onnx.at("Gelu", 22).orElseThrow().since());
        assertTrue(onnx.at("Upsample", 10).orElseThrow().deprecated());
        assertEquals(22, onnx.strictThrough());
    }

    @Test
    void attributesWithTypesRequirementsAndBounds() {
        AttributeSpec strides = onnx.at("Conv", 17).orElseThrow().attributes().get("strides");
        assertEquals(new AttributeSpec("strides", AttributeType.INTS, false, 1L), strides);
        AttributeSpec to = onnx.at("Cast", 19).orElseThrow().attributes().get("to");
        assertEquals(new AttributeSpec("to", AttributeType.INT, true, null), to);
        assertFalse(onnx.at("ReduceMean", 18).orElseThrow().attributes().containsKey("axes"));
        assertTrue(onnx.at("ReduceMean", 17).orElseThrow().attributes().containsKey("axes"));
    }

    @Test
    void parsesTheFormat() {
        OperatorTable t = OperatorTable.parse(List.of("# comment", "domain ai.onnx", "strict-through 3",
                "Op 1 in=1..* out=2 a:ints!>=1 b:float", "Op 3 deprecated", "Old 1 *"));
        OperatorTable.Domain d = t.domain("ai.onnx").orElseThrow();
        OperatorVersion v = d.at("Op", 2).orElseThrow();
        assertEquals(Integer.MAX_VALUE, v.maxInputs());
        assertEquals(2, v.minOutputs());
        assertEquals(new AttributeSpec("a", AttributeType.INTS, true, 1L), v.attributes().get("a"));
        assertTrue(d.at("Op", 3).orElseThrow().deprecated());
        assertTrue(d.at("Old", 9).orElseThrow().unchecked());
        assertTrue(t.domain("com.example").isEmpty());
    }
}
