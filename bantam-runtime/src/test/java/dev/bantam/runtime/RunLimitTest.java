package dev.bantam.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.testing.HostileModels;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run that does not end is stopped at the run limit with a clear message; runs that end are untouched. */
class RunLimitTest {

    @AfterEach
    void restore() {
        RunLimit.set(RunLimit.DEFAULT, "");
    }

    @Test
    void anEndlessLoopIsStoppedAtTheLimit() {
        RunLimit.set(Duration.ofSeconds(1), "set BANTAM_RUN_LIMIT");
        byte[] model = HostileModels.endlessLoop(null, false).build().toByteArray();
        try (InferenceSession s = InferenceSession.open(model, RuntimeOptions.threads(1))) {
            long t0 = System.nanoTime();
            DataException e = assertThrows(DataException.class,
                    () -> s.run(Map.of("X", Tensor.ofFloats("X", new float[] {0, 0}, 2))));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals("ONNX Runtime stopped the model: one run took longer than the limit of 1 s (does a Loop never "
                    + "end?); set BANTAM_RUN_LIMIT to allow longer runs", e.getMessage());
            assertTrue(seconds < 20, "stopped after " + seconds + " s");
        }
    }

    @Test
    void runsThatEndAreNotTouchedAndTheSessionStaysUsable() {
        RunLimit.set(Duration.ofSeconds(1), "");
        byte[] model = HostileModels.endlessLoop(1L, true).build().toByteArray();
        try (InferenceSession s = InferenceSession.open(model, RuntimeOptions.threads(1))) {
            for (int i = 0; i < 3; i++) {
                Tensor y = s.run(Map.of("X", Tensor.ofFloats("X", new float[] {1, 1}, 2),
                        "M", Tensor.ofLongs("M", new long[] {3}))).get("Y");
                assertArrayEquals(new float[] {4, 7}, y.toFloatArray(), "X + 3·W");
            }
            DataException e = assertThrows(DataException.class, () -> s.run(Map.of("X",
                    Tensor.ofFloats("X", new float[] {1, 1}, 2), "M", Tensor.ofLongs("M", new long[] {Long.MAX_VALUE}))));
            assertTrue(e.getMessage().contains("took longer than the limit of 1 s"), e.getMessage());
            Tensor again = s.run(Map.of("X", Tensor.ofFloats("X", new float[] {0, 0}, 2),
                    "M", Tensor.ofLongs("M", new long[] {1}))).get("Y");
            assertArrayEquals(new float[] {1, 2}, again.toFloatArray(), "the session runs again after a stop");
        }
    }

    @Test
    void limitsParseAsDurations() {
        assertEquals(Duration.ofSeconds(90), RunLimit.parse("90s"));
        assertEquals(Duration.ofSeconds(90), RunLimit.parse("90"));
        assertEquals(Duration.ofMinutes(10), RunLimit.parse("10m"));
        assertEquals(Duration.ofHours(1), RunLimit.parse(" 1H "));
        assertEquals(Duration.ofMillis(2500), RunLimit.parse("2500ms"));
        for (String bad : new String[] {"", "0", "-5s", "ten", "5 days", "99999999999s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunLimit.parse(bad));
            assertTrue(e.getMessage().contains("is not a positive duration"), e.getMessage());
        }
        assertEquals("10 min", RunLimit.show(RunLimit.DEFAULT));
    }
}
