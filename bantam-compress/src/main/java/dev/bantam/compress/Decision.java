package dev.bantam.compress;

/**
 * What a technique decided for one node it considered.
 *
 * @param node    the node's display name
 * @param opType  its operator
 * @param applied whether the technique changed it
 * @param reason  why (for a node left alone: what the user can do, where something can be done)
 */
public record Decision(String node, String opType, boolean applied, String reason) {

    public static Decision applied(String node, String opType, String reason) {
        return new Decision(node, opType, true, reason);
    }

    public static Decision skipped(String node, String opType, String reason) {
        return new Decision(node, opType, false, reason);
    }
}
