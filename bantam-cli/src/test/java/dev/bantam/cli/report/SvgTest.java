package dev.bantam.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgTest {

    /** An INT8 model's cosines to its float model: every tick read "1.000" at four significant digits. */
    @Test
    void ticksOfANarrowCosineRangeAreDistinct() {
        double[] cosines = new double[200];
        for (int i = 0; i < cosines.length; i++) {
            cosines[i] = 0.99995 + 0.00004 * i / (cosines.length - 1);
        }
        String svg = Svg.histogram(cosines, 20, "cosine");
        Matcher m = Pattern.compile("text-anchor='middle'>([^<]+)</text>").matcher(svg);
        List<String> x = m.results().map(r -> r.group(1)).filter(t -> !t.equals("cosine")).toList();
        assertEquals(5, x.size(), svg);
        assertEquals(5, new HashSet<>(x).size(), "x ticks " + x);
        assertTrue(x.getFirst().startsWith("0.99995") && x.getLast().startsWith("0.99999"), x.toString());
    }

    @Test
    void ticksUseNoMoreDecimalsThanNeeded() {
        assertArrayEquals(new String[] {"0", "25", "50", "75", "100"}, Svg.ticks(new double[] {0, 100}));
        assertArrayEquals(new String[] {"0.00", "0.25", "0.50", "0.75", "1.00"}, Svg.ticks(new double[] {0, 1}));
        assertEquals(5, new HashSet<>(List.of(Svg.ticks(new double[] {1e-9, 2e-9}))).size());
        assertEquals(5, Svg.ticks(new double[] {3, 3}).length, "a zero range still labels its ticks");
    }
}
