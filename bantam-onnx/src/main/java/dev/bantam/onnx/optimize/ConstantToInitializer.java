package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns Constant nodes into initializers, so that every later pass finds weights in one place. Needs IR
 * version 4 or later (initializers that are not graph inputs).
 */
public final class ConstantToInitializer implements Pass {

    @Override
    public String name() {
        return "constant-to-initializer";
    }

    @Override
    public PassResult run(Model model) {
        if (model.irVersion() != null && model.irVersion() < 4) {
            return new PassResult(false, List.of("skipped: IR version " + model.irVersion() + " < 4"));
        }
        int moved = 0;
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g.nodes()) {
                if (!n.isStandard("Constant") || n.output(0) == null) {
                    continue;
                }
                Optional<Tensor> t = n.output(0).constantValue();
                if (t.isEmpty()) {
                    continue;
                }
                Value old = n.output(0);
                Value init = new Value(old.name(), old.type());
                old.replaceAllUsesWith(init, true);
                g.remove(n, true);
                g.addInitializer(init, t.get().withName(old.name()));
                moved++;
            }
        }
        List<String> notes = new ArrayList<>();
        if (moved > 0) {
            notes.add(moved + " Constant nodes became initializers");
        }
        return PassResult.of(notes);
    }
}
