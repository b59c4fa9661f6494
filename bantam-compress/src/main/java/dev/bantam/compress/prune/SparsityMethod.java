package dev.bantam.compress.prune;

import java.util.Locale;

/** How unstructured pruning chooses the weights it zeroes. */
public enum SparsityMethod {
    /** The smallest |w| (per layer, or one threshold over all layers by LAMP score). */
    MAGNITUDE,
    /** Wanda (Sun et al., 2023): the smallest |w|·‖x‖ per output, x the layer's input feature on calibration data. */
    WANDA,
    /**
     * SparseGPT (Frantar and Alistarh, 2023): masks chosen per block of 128 inputs by w²/[H⁻¹]ᵢᵢ², each zeroed weight's
     * error spread over the inputs not yet visited through the inverse Hessian's Cholesky factor (as GPTQ does for
     * rounding).
     */
    SPARSEGPT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SparsityMethod parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "magnitude" -> MAGNITUDE;
            case "wanda" -> WANDA;
            case "sparsegpt" -> SPARSEGPT;
            default -> throw new IllegalArgumentException("the sparsity method must be magnitude, wanda or sparsegpt, not '"
                    + s + "'");
        };
    }

    /** Whether it reads the layers' inputs on calibration data. */
    public boolean needsData() {
        return this != MAGNITUDE;
    }
}
