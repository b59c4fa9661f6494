package dev.bantam.runtime.data;

import java.util.List;

/** A data source whose batches are shifted by a {@link Perturbation} (the spec key {@code perturb=KIND:LEVEL}). */
final class PerturbedSource implements DataSource {

    private final DataSource base;
    private final Perturbation perturbation;
    private final long seed;

    PerturbedSource(DataSource base, Perturbation perturbation, long seed) {
        this.base = base;
        this.perturbation = perturbation;
        this.seed = seed;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Batch batch(int start, int count) {
        return perturbation.apply(base.batch(start, count), start, seed);
    }

    @Override
    public List<String> labelNames() {
        return base.labelNames();
    }

    @Override
    public String describe() {
        return base.describe() + ", perturbed " + perturbation.label();
    }
}
