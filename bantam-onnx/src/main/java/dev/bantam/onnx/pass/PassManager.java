package dev.bantam.onnx.pass;

import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs passes in order, once or until none of them changes the model (bounded), and records what each did.
 * A pass that throws is reported by name in a {@link PassFailedException}.
 */
public final class PassManager {

    /** One execution of one pass. */
    public record Run(int iteration, String pass, boolean changed, List<String> notes, double millis) {
    }

    private final List<Pass> passes;
    private final boolean fixedPoint;
    private final int maxIterations;

    public PassManager(List<Pass> passes, boolean fixedPoint, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1");
        }
        this.passes = List.copyOf(passes);
        this.fixedPoint = fixedPoint;
        this.maxIterations = maxIterations;
    }

    public static PassManager once(List<Pass> passes) {
        return new PassManager(passes, false, 1);
    }

    public static PassManager toFixedPoint(List<Pass> passes) {
        return new PassManager(passes, true, 10);
    }

    public List<Run> run(Model model) {
        List<Run> runs = new ArrayList<>();
        for (int it = 1; it <= (fixedPoint ? maxIterations : 1); it++) {
            boolean any = false;
            for (Pass p : passes) {
                long t0 = System.nanoTime();
                PassResult r;
                try {
                    r = p.run(model);
                } catch (RuntimeException e) {
                    throw new PassFailedException(p.name(), e);
                }
                runs.add(new Run(it, p.name(), r.changed(), r.notes(), (System.nanoTime() - t0) / 1e6));
                any |= r.changed();
            }
            if (!any) {
                break;
            }
        }
        return runs;
    }
}
