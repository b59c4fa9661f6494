package dev.bantam.onnx.pass;

import dev.bantam.onnx.ir.Model;

/**
 * One graph transformation. A pass edits the model in place through the IR's methods and says whether it
 * changed anything and what it did.
 */
public interface Pass {

    /** A short kebab-case name, as used by {@code bantam optimize --passes}. */
    String name();

    PassResult run(Model model);
}
