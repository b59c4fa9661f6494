package dev.bantam.compress.lowrank;

/** A layer's decomposition, truncated at any rank: what rank selection and the rewrite need of it. */
interface Factors {

    int fullRank();

    boolean dataAware();

    /** The damping the input covariance needed (0: none, or not data-aware). */
    double damping();

    int rankForEnergy(double fraction);

    double energyKept(int r);

    /** SQNR (dB) of the layer's weight, or of its output on the calibration data when data-aware. */
    double sqnrDb(int r);

    /** The factors at rank r, in the order the rewrite puts them in the graph. */
    double[][] factors(int r);
}
