package dev.bantam.compress;

import java.util.List;

/**
 * What a technique did, typed: the config it ran with, one entry per tensor it changed, a decision for every
 * node it considered (done, or left as it was and why), and notes about the run that are not decisions
 * (pre-steps, data used). JSON and HTML reports are made from this.
 */
public interface TechniqueReport {

    String technique();

    TechniqueConfig config();

    /** Per-tensor entries, worst first where the technique can rank them. */
    List<? extends TensorEntry> tensors();

    List<Decision> decisions();

    List<String> notes();
}
