package dev.bantam.onnx.rewrite;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import java.util.Set;

/**
 * A local graph rewrite in three parts: the pattern (which op types anchor it), a check that says why it
 * does not apply to a given anchor, and the rewrite itself.
 */
public interface RewriteRule {

    String name();

    /** Op types (default domain) of the nodes the pattern is anchored at. */
    Set<String> anchors();

    /** Null when the rule applies at {@code anchor}; otherwise the reason it does not. */
    String check(Node anchor, Model model);

    /** Applies the rule at an anchor that passed {@link #check}; returns a one-line description. */
    String rewrite(Node anchor, Model model);
}
