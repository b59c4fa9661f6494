package dev.bantam.bench.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed → model case, deterministically: a valid seed model, some valid features (external data, typed data,
 * docs), zero to three hostile structural mutations, and on a fraction of cases byte-level damage to the file.
 */
public final class ModelGenerator {

    /** The structural mutation families; one is drawn uniformly, then a mutation within it. */
    static final List<List<Mutation>> FAMILIES = List.of(GraphMutations.ALL, AttributeMutations.ALL,
            TensorMutations.ALL, ExternalMutations.ALL, WireMutations.ALL);

    static final double VALID_FRACTION = 0.15;
    static final double BYTE_DAMAGE_FRACTION = 0.15;

    private ModelGenerator() {
    }

    public static ModelCase generate(long seed) {
        Rng r = new Rng(seed);
        SeedModels.Seed base = r.pick(SeedModels.ALL);
        ModelDraft d = new ModelDraft(base.name(), base.build().apply(r));
        for (Mutation f : Features.ALL) {
            if (r.chance(0.3)) {
                f.applyTo(d, r);
            }
        }
        int hostile = r.chance(VALID_FRACTION) ? 0 : r.pickOf(1, 1, 1, 2, 3);
        for (int i = 0; i < hostile; i++) {
            r.pick(r.pick(FAMILIES)).applyTo(d, r);
        }
        byte[] model;
        try {
            model = d.model.build().toByteArray();
        } catch (RuntimeException e) {
            throw new IllegalStateException("generator: cannot serialize after " + d.steps, e);
        }
        Map<String, byte[]> files = new HashMap<>(d.sidecars);
        List<String> steps = new ArrayList<>(d.steps);
        if (r.chance(BYTE_DAMAGE_FRACTION)) {
            ByteMutations.ByteMutation m = r.pick(ByteMutations.ALL);
            if (files.containsKey(Features.WEIGHTS) && r.chance(0.3)) {
                files.put(Features.WEIGHTS, m.apply().apply(files.get(Features.WEIGHTS), r));
                steps.add("weights:" + m.name());
            } else {
                model = m.apply().apply(model, r);
                steps.add("bytes:" + m.name());
            }
        }
        files.put(ModelCase.MODEL, model);
        return new ModelCase(seed, steps, files);
    }
}
