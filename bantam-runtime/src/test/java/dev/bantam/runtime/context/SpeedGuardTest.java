package dev.bantam.runtime.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.SpeedGuard;
import dev.bantam.compress.SpeedGuardResult;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.StaticQuantization;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.testing.TestData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The speed guard's bookkeeping on a real model and real data. Which groups pay their way is a timing, and timings
 * live in bench/speed-guard; here: every group is timed, and the model written follows the decisions reported.
 */
class SpeedGuardTest {

    @Test
    void theWrittenModelFollowsTheTimedDecisions() throws Exception {
        StaticQuantizeConfig c = StaticQuantizeConfig.defaults().withGuard(AccuracyGuard.off())
                .withSpeed(SpeedGuard.defaults().withBatch(16));
        try (OrtContext context = OrtContext.calibratingOn("fmnist:,split=train,limit=64")) {
            Model m = ModelIO.load(TestData.repoModel("fmnist/resnet.onnx")); // int8 about 1.5-2x float here
            QuantizeReport r = new StaticQuantization().apply(m, c, context);
            SpeedGuardResult s = r.speedGuard();
            assertEquals(16, s.batch());
            assertEquals(16, s.perGroup().size(), "each of resnet's 16 layers timed alone in float");
            assertTrue(s.floatMs() > 0 && s.allMs() > 0 && s.resultMs() > 0, s.toString());
            Set<String> floatNow = new HashSet<>();
            r.decisions().stream().filter(d -> !d.applied()).forEach(d -> floatNow.add(d.node()));
            assertTrue(floatNow.containsAll(s.keptFloat()), floatNow + " " + s.keptFloat());
            List<Node> quantized = m.graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).toList();
            assertTrue(!quantized.isEmpty(), "some group stayed int8: a model int8 makes slower is refused");
            assertTrue(r.config() instanceof StaticQuantizeConfig q && !q.speed().enabled()
                    && q.keptFloat().containsAll(s.keptFloat()), "the reported config replays it");
            // the config's layout and one alternative in each respect, timed side by side; the one written is named
            assertEquals(4, s.layouts().size(), s.layouts().toString());
            assertEquals("QDQ, per-channel weights, U8S8", s.layouts().getFirst().layout());
            assertTrue(s.layouts().stream().allMatch(t -> t.ms() > 0), s.layouts().toString());
            assertTrue(s.layouts().stream().anyMatch(t -> t.layout().equals(s.layout())), s.layout());
            StaticQuantizeConfig written = (StaticQuantizeConfig) r.config();
            assertEquals(s.layout().contains("QOperator"), written.format() == StaticQuantizeConfig.Format.QOPERATOR);
            assertEquals(s.layout().contains("per-channel"), written.perChannel());
            assertEquals(s.layout().contains("S8S8"), written.activations().signed());
        }
    }

    @Test
    void offMeansNotTimed() throws Exception {
        StaticQuantizeConfig c = StaticQuantizeConfig.defaults().withGuard(AccuracyGuard.off())
                .withSpeed(SpeedGuard.defaults().withEnabled(false));
        try (OrtContext context = OrtContext.calibratingOn("fmnist:,split=train,limit=64")) {
            QuantizeReport r = new StaticQuantization().apply(ModelIO.load(TestData.repoModel("fmnist/tiny.onnx")), c,
                    context);
            assertNull(r.speedGuard());
            assertNull(r.guard());
        }
    }
}
