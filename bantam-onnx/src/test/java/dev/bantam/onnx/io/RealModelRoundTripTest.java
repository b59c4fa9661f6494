package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real models load, pass the checker, save back as the same message, and run bit-identically. */
class RealModelRoundTripTest {

    @TempDir
    static Path models;

    static List<RealModels.Case> cases() throws Exception {
        return RealModels.all(models);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTripIsExactAndRunsIdentically(RealModels.Case c, @TempDir Path out) throws Exception {
        Model m = ModelIO.load(c.model());
        assertFalse(ModelChecker.check(m).hasErrors(), () -> ModelChecker.check(m).errors().toString());
        Path a = out.resolve("a.onnx");
        Path b = out.resolve("b.onnx");
        ModelIO.save(m, a);
        ModelIO.save(m, b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "saving twice gives the same bytes");
        assertEquals(Onnx.ModelProto.parseFrom(Files.readAllBytes(c.model())),
                Onnx.ModelProto.parseFrom(Files.readAllBytes(a)), "same message after a round trip");

        Map<String, Ort.Output> expected = Ort.run(c.model(), c.inputs());
        Map<String, Ort.Output> actual = Ort.run(a, c.inputs());
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertTrue(expected.get(k).sameAs(actual.get(k)), c.name() + " output " + k + " differs");
        }
    }
}
