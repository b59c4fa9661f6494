package dev.bantam.runtime.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.CalibrationChoice;
import dev.bantam.compress.GroupSensitivity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Score;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.QuantizedTensor;
import dev.bantam.compress.quantize.StaticQuantization;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.DataException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The accuracy guard of static INT8 on a real residual network and real Fashion-MNIST images: held-out items,
 * the fewest groups returned to float, and a model written that is the one scored.
 */
class AccuracyGuardTest {

    /** The defaults without the speed guard, whose decisions are timings: what these tests check must not vary. */
    static StaticQuantizeConfig base() {
        return StaticQuantizeConfig.defaults().withSpeed(dev.bantam.compress.SpeedGuard.defaults().withEnabled(false));
    }


    private static final String TRAIN = "fmnist:,split=train,limit=256";
    private static final String TEST = "fmnist:,limit=128";

    private static Model resnet() throws Exception {
        return ModelIO.load(TestData.repoModel("fmnist/resnet.onnx"));
    }

    private static QuantizeReport quantize(Model m, StaticQuantizeConfig c, OrtContext context) {
        return new StaticQuantization().apply(m, c, context);
    }

    @Test
    void byDefaultScoresOnItemsCalibrationNeverSaw() throws Exception {
        try (OrtContext context = OrtContext.calibratingOn("fmnist:,split=train,limit=512")) {
            QuantizeReport r = quantize(resnet(), base(), context);
            GuardResult g = r.guard();
            assertEquals(384, r.calibrationItems(), "the last quarter (128 items) is held out of calibration");
            assertEquals(128, g.result().items());
            assertTrue(g.data().contains("held out from calibration"), g.data());
            assertTrue(g.holds() && g.keptFloat().isEmpty() && g.scored() == 1 && g.sensitivity().isEmpty(), g.toString());
            assertTrue(g.unguarded().meanCosine() > 0.99, g.toString());
        }
    }

    @Test
    void aTightBudgetReturnsTheFewestMostSensitiveGroupsAndWritesTheModelItScored() throws Exception {
        StaticQuantizeConfig plain = base().withGuard(AccuracyGuard.off());
        try (OrtContext context = OrtContext.builder().calibrationData(TRAIN).evaluationData(TEST).build()) {
            Model reference = resnet();
            Model all = resnet();
            quantize(all, plain, context);
            double lost = 1 - context.score(reference, all, 128).meanCosine();
            assertTrue(lost > 0, "int8 loses something");
            double budget = 1 - lost / 3; // not met by the fully quantized model, met by float
            StaticQuantizeConfig tight = plain.withGuard(AccuracyGuard.defaults().withBudget(budget, null, null, null));
            Model guarded = resnet();
            QuantizeReport r = quantize(guarded, tight, context);
            GuardResult g = r.guard();

            assertFalse(tight.guard().holds(g.unguarded()), g.toString());
            assertTrue(g.holds(), g.toString());
            List<String> order = g.sensitivity().stream().map(GroupSensitivity::group).toList();
            assertEquals(order.subList(0, g.keptFloat().size()), g.keptFloat(), "the most sensitive go first");
            assertTrue(!g.keptFloat().isEmpty() && g.keptFloat().size() < order.size(), g.keptFloat().toString());
            for (int i = 1; i < g.sensitivity().size(); i++) {
                assertTrue(g.sensitivity().get(i - 1).sensitivity() >= g.sensitivity().get(i).sensitivity());
            }
            for (String kept : g.keptFloat()) {
                assertTrue(r.decisions().stream().anyMatch(d -> d.node().equals(kept) && !d.applied()
                        && d.reason().contains("kept in float by the guards")), kept);
            }
            double loss = tight.guard().loss(g.unguarded());
            for (CalibrationChoice c : g.calibration()) { // tried before any group goes to float; kept only if better
                assertEquals(loss, c.lossBefore(), 1e-12, c.toString());
                assertTrue(c.lossAfter() < c.lossBefore(), c.toString());
                loss = c.lossAfter();
                for (QuantizedTensor t : r.tensors()) {
                    if (c.activations().contains(t.tensor()) && !g.keptFloat().contains(c.group())) {
                        assertEquals(c.method().split(" ")[0], t.scheme().calibration().label(), t.tensor());
                    }
                }
            }
            Score written = context.score(reference, guarded, 128);
            assertEquals(g.result().meanCosine(), written.meanCosine(), 1e-12, "the model written is the one scored");
            assertTrue(g.bytesCost() > 0, "float weights cost bytes");

            // one group fewer in float breaks the budget: the search found the fewest along its order
            List<String> fewer = g.keptFloat().subList(0, g.keptFloat().size() - 1);
            Model less = resnet();
            quantize(less, plain.withScope(plain.scope().withExclusions(List.of(), fewer)), context);
            assertFalse(tight.guard().holds(context.score(reference, less, 128)), "with " + fewer + " only");
        }
    }

    @Test
    void aTaskBudgetNeedsLabelsAndHoldsOnLabelledData() throws Exception {
        StaticQuantizeConfig drop = base().withGuard(AccuracyGuard.defaults()
                .withBudget(null, null, null, 0.01));
        try (OrtContext context = OrtContext.builder().calibrationData(TRAIN).evaluationData(TEST).build()) {
            GuardResult g = quantize(resnet(), drop, context).guard();
            assertTrue(g.holds() && g.unguarded().referenceTop1() != null, g.toString());
            assertTrue(g.budget().contains("top-1 accuracy drop <= 1 points"), g.budget());
        }
        try (OrtContext context = OrtContext.calibratingOn("synthetic:64")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> quantize(resnet(), drop, context));
            assertTrue(e.getMessage().contains("maxDrop needs labelled data"), e.getMessage());
        }
    }

    @Test
    void tooLittleDataToHoldAnyOutIsRefusedWithWhatToDo() throws Exception {
        try (OrtContext context = OrtContext.calibratingOn("fmnist:,split=train,limit=6")) {
            DataException e = assertThrows(DataException.class,
                    () -> quantize(resnet(), base(), context));
            assertTrue(e.getMessage().contains("has 6 items, too few") && e.getMessage().contains("guard off"),
                    e.getMessage());
        }
    }

    @Test
    void theGuardedResultIsDeterministic() throws Exception {
        StaticQuantizeConfig c = base().withGuard(AccuracyGuard.defaults()
                .withBudget(0.99999, null, null, null).withItems(64));
        byte[][] out = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (OrtContext context = OrtContext.calibratingOn(TRAIN)) {
                Model m = resnet();
                quantize(m, c, context);
                out[i] = OnnxSerde.toBytes(m);
            }
        }
        assertArrayEquals(out[0], out[1]);
    }

    /** A recorded recipe applied to another model: names it does not have are refused, not ignored. */
    @Test
    void namesTheModelDoesNotHaveAreRefused() throws Exception {
        try (OrtContext context = OrtContext.calibratingOn(TRAIN)) {
            IllegalArgumentException kept = assertThrows(IllegalArgumentException.class, () -> quantize(resnet(),
                    base().withKeptFloat(List.of("/nowhere/Conv")), context));
            assertTrue(kept.getMessage().contains("keptFloat names '/nowhere/Conv', which is no weighted layer"),
                    kept.getMessage());
            StaticQuantizeConfig c = base();
            IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> quantize(resnet(),
                    c.withCalibration(c.calibration().withPerActivation(java.util.Map.of("ghost", "mse"))), context));
            assertTrue(act.getMessage().contains("calibration.perActivation names 'ghost', which is no value"),
                    act.getMessage());
        }
    }

    @Test
    void budgetsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> AccuracyGuard.defaults().withBudget(1.5, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> AccuracyGuard.defaults().withBudget(null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> AccuracyGuard.defaults().withItems(0));
        assertTrue(AccuracyGuard.off().withBudget(null, 0.99, null, null).enabled());
    }
}
