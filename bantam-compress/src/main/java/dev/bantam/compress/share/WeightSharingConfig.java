package dev.bantam.compress.share;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.Granularity;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;
import java.util.Set;

/**
 * Weight sharing: every weight of a tensor (or of one output channel) takes one of a few values, stored as a
 * codebook plus packed indices that constant nodes decode when the model is loaded.
 *
 * @param scope        which weights: Conv, ConvTranspose, Gemm, MatMul (constant operand) and Gather tables
 * @param codebook     k-means, uniform, or logarithmic (power-of-two) levels
 * @param clusters     k-means and uniform: how many values (2 to 256; default 16)
 * @param bits         logarithmic: bits per weight, sign included (2 to 8; default 4): zero and 2^(bits-1) - 1
 *                     levels of each sign
 * @param granularity  one codebook per tensor, per output channel (the axis from the weight-layout table), or,
 *                     for logarithmic codebooks, one scale per block of {@code blockSize} weights along each
 *                     channel's reduction axis (the levels shared, α per block)
 * @param blockSize    per-block only: weights per block (default 32)
 * @param init         k-means: how the centroids start (BEST: several starts, the lowest squared error kept)
 * @param incremental  logarithmic only: INQ-style, fix the largest half of each channel's weights first, move
 *                     their rounding error into the weights still free, then the next quarter, eighth, rest
 * @param seed         k-means++ sampling
 * @param dataAware    k-means only: weigh each weight by the mean square of the input channel it multiplies,
 *                     measured on calibration data, so clusters follow the layer's output error rather than
 *                     the weight error (the diagonal of the layer's Hessian; SqueezeLLM, Kim et al., 2024)
 * @param calibration  with dataAware: items and batch size of the calibration run
 */
public record WeightSharingConfig(NodeScope scope, Codebook codebook, Integer clusters, Integer bits,
                                  Granularity granularity, Integer blockSize, ClusterInit init, boolean incremental,
                                  long seed, boolean dataAware, CalibrationSettings calibration) implements TechniqueConfig {

    public static final String NAME = "share-weights";

    public static final Set<String> SUPPORTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "Gather");

    public WeightSharingConfig {
        if (scope == null || codebook == null || granularity == null || init == null) {
            throw new IllegalArgumentException(NAME + ": scope, codebook, granularity and init are required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        if (codebook.logarithmic()) {
            if (clusters != null) {
                throw new IllegalArgumentException(NAME + ": clusters apply to kmeans and uniform codebooks; a "
                        + "logarithmic codebook takes bits");
            }
            bits = bits == null ? 4 : bits;
            if (bits < 2 || bits > 8) {
                throw new IllegalArgumentException(NAME + ": bits must be 2 to 8, got " + bits);
            }
        } else {
            if (bits != null) {
                throw new IllegalArgumentException(NAME + ": bits apply to logarithmic codebooks; kmeans and uniform "
                        + "take clusters");
            }
            clusters = clusters == null ? 16 : clusters;
            if (clusters < 2 || clusters > 256) {
                throw new IllegalArgumentException(NAME + ": clusters must be 2 to 256, got " + clusters);
            }
            if (incremental) {
                throw new IllegalArgumentException(NAME + ": incremental quantization applies to logarithmic codebooks");
            }
        }
        if (dataAware && codebook != Codebook.KMEANS) {
            throw new IllegalArgumentException(NAME + ": dataAware applies to the kmeans codebook");
        }
        if (calibration == null) {
            throw new IllegalArgumentException(NAME + ": calibration settings are required");
        }
        if (granularity == Granularity.PER_BLOCK) {
            if (!codebook.logarithmic()) {
                throw new IllegalArgumentException(NAME + ": per-block scales apply to logarithmic codebooks; kmeans and "
                        + "uniform codebooks are per tensor or per channel");
            }
            blockSize = blockSize == null ? 32 : blockSize;
            if (blockSize < 2) {
                throw new IllegalArgumentException(NAME + ": blockSize must be >= 2, got " + blockSize);
            }
        } else if (blockSize != null) {
            throw new IllegalArgumentException(NAME + ": blockSize applies to per-block granularity only");
        }
    }

    /** 16 k-means clusters per tensor (4-bit indices), best of several starts, every weight of 256+ elements. */
    public static WeightSharingConfig defaults() {
        return new WeightSharingConfig(NodeScope.of(SUPPORTED, 256), Codebook.KMEANS, null, null, Granularity.PER_TENSOR,
                null, ClusterInit.BEST, false, 1, false, new CalibrationSettings(256, 16));
    }

    public static WeightSharingConfig kmeans(int clusters, Granularity granularity) {
        WeightSharingConfig d = defaults();
        return new WeightSharingConfig(d.scope, Codebook.KMEANS, clusters, null, granularity, null, d.init, false,
                d.seed, false, d.calibration);
    }

    public static WeightSharingConfig logarithmic(Codebook codebook, int bits, Granularity granularity, boolean incremental) {
        WeightSharingConfig d = defaults();
        return new WeightSharingConfig(d.scope, codebook, null, bits, granularity, null, d.init, incremental, d.seed,
                false, d.calibration);
    }

    public WeightSharingConfig withScope(NodeScope s) {
        return new WeightSharingConfig(s, codebook, clusters, bits, granularity, blockSize, init, incremental, seed,
                dataAware, calibration);
    }

    public WeightSharingConfig withDataAware(boolean aware) {
        return new WeightSharingConfig(scope, codebook, clusters, bits, granularity, blockSize, init, incremental, seed,
                aware, calibration);
    }

    /** Values a codebook holds: the clusters, or for logarithmic codebooks 2^bits - 1 (zero and both signs). */
    public int levels() {
        return codebook.logarithmic() ? (1 << bits) - 1 : clusters;
    }

    @Override
    public String technique() {
        return NAME;
    }
}
