package dev.bantam.compress.share;

import dev.bantam.compress.numerics.KMeans1D;

/** How k-means starts: one of {@link KMeans1D.Init}, or {@code BEST}: all of them, the lowest squared error kept. */
public enum ClusterInit {
    KMEANS_PLUS_PLUS, LINEAR, DENSITY,
    /** linear, density and three k-means++ seeds; 1-D k-means has local minima, and the best of five avoids most */
    BEST;

    KMeans1D.Init single() {
        return switch (this) {
            case KMEANS_PLUS_PLUS, BEST -> KMeans1D.Init.KMEANS_PLUS_PLUS;
            case LINEAR -> KMeans1D.Init.LINEAR;
            case DENSITY -> KMeans1D.Init.DENSITY;
        };
    }
}
