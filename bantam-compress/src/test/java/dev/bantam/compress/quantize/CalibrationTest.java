package dev.bantam.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-activation calibration methods: the labels a recorded recipe carries, read back exactly or refused clearly. */
class CalibrationTest {

    @Test
    void labelsReadBackToTheChoiceThatWroteThem() {
        for (RangeChoice c : RangeChoice.TRIALS) {
            assertEquals(c, RangeChoice.parse(c.label(), "x"), c.label());
        }
        assertEquals(new RangeChoice(CalibrationMethod.PERCENTILE, 99.99), RangeChoice.parse(" percentile  99.99 ", "x"));
        Calibration c = Calibration.defaults().withPerActivation(Map.of("b", "mse", "a", "percentile 99.9"));
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(c.perActivation().keySet()), "sorted: stable JSON");
        assertEquals("entropy", c.withPerActivation(Map.of("b", "entropy")).perActivation().get("b"));
    }

    @Test
    void aBadLabelIsRefusedNamingTheActivation() {
        for (String bad : new String[] {"percentile 101", "mse 3", "median", "percentile x", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Calibration.defaults().withPerActivation(Map.of("/l0/Mul_output_0", bad)), bad);
            assertTrue(e.getMessage().contains("calibration.perActivation./l0/Mul_output_0")
                    && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
