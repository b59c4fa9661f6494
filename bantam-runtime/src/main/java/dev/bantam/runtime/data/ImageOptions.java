package dev.bantam.runtime.data;

/**
 * How image files become a model input: resized to width x height, 1 (gray) or 3 (RGB) channels, NCHW or
 * NHWC layout, pixels scaled to [0,1] then normalized per channel as (x - mean) / std.
 */
public record ImageOptions(int width, int height, int channels, boolean nchw, float[] mean, float[] std) {

    public ImageOptions {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " values each");
        }
        mean = mean.clone();
        std = std.clone();
    }
}
