package dev.bantam.compress.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fixed-point sums: the same bits in any order or split, and within 2^-63 per addend of the exact sum. */
class ExactSumsTest {

    @Test
    void orderAndSplitDoNotChangeTheBitsAndTheSumIsExactToTheGrid() {
        Random r = new Random(7);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add(r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6)); // 1e-6 .. 1e6, both signs
        }
        ExactSums inOrder = new ExactSums(1);
        values.forEach(v -> inOrder.add(0, v));
        List<Double> shuffled = new ArrayList<>(values);
        Collections.shuffle(shuffled, new Random(8));
        ExactSums a = new ExactSums(1);
        ExactSums b = new ExactSums(1);
        for (int i = 0; i < shuffled.size(); i++) {
            (i % 3 == 0 ? a : b).add(0, shuffled.get(i));
        }
        b.merge(a);
        assertTrue(inOrder.sameAs(b), "bits independent of order and split");
        BigDecimal exact = values.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        double err = Math.abs(exact.subtract(new BigDecimal(inOrder.get(0))).doubleValue());
        assertTrue(err <= Math.ulp(exact.doubleValue()) + values.size() * 0x1p-63, "error " + err);
        double naive = 0;
        for (double v : values) {
            naive += v;
        }
        assertEquals(exact.doubleValue(), inOrder.get(0), Math.abs(naive - exact.doubleValue()) + 1e-9);
    }

    @Test
    void negativeFractionsAndCarries() {
        ExactSums s = new ExactSums(1);
        s.add(0, -0.25);
        assertEquals(-0.25, s.get(0));
        s.add(0, 0.75);
        assertEquals(0.5, s.get(0));
        s.add(0, 0.5);
        assertEquals(1.0, s.get(0), "fractions carry into the integer part");
        s.add(0, -3.125);
        assertEquals(-2.125, s.get(0));
    }

    @Test
    void valuesOutsideTheRangeAreRefused() {
        ExactSums s = new ExactSums(1);
        assertThrows(ArithmeticException.class, () -> s.add(0, Double.NaN));
        assertThrows(ArithmeticException.class, () -> s.add(0, 0x1p62));
        assertThrows(IllegalArgumentException.class, () -> s.merge(new ExactSums(2)));
    }
}
