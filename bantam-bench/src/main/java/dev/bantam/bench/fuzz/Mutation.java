package dev.bantam.bench.fuzz;

import java.util.function.BiConsumer;

/** One named change to a model being generated; the name is recorded in the case's steps. */
record Mutation(String name, BiConsumer<ModelDraft, Rng> apply) {

    void applyTo(ModelDraft d, Rng r) {
        apply.accept(d, r);
        d.steps.add(name);
    }
}
