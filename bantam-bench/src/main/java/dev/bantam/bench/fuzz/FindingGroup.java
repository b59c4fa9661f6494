package dev.bantam.bench.fuzz;

import java.util.ArrayList;
import java.util.List;

/** The findings of one signature: how many, the seeds that showed it, and the smallest reproducer chosen. */
public final class FindingGroup {

    static final int SEEDS_KEPT = 200;

    final Finding first;
    long count;
    final List<Long> seeds = new ArrayList<>();
    Finding smallest;
    long smallestBytes = Long.MAX_VALUE;
    String reproducer;
    boolean known;

    FindingGroup(Finding first) {
        this.first = first;
        this.smallest = first;
    }

    void add(Finding f) {
        count++;
        if (seeds.size() < SEEDS_KEPT) {
            seeds.add(f.seed());
        }
    }

    public Finding first() {
        return first;
    }

    public long count() {
        return count;
    }

    public boolean known() {
        return known;
    }

    /** Picks the smallest of the first few cases (by the bytes of their files) as the reproducer. */
    void chooseSmallest(int candidates) {
        if (first.command().equals("harness")) {
            return;
        }
        for (long seed : seeds.subList(0, Math.min(candidates, seeds.size()))) {
            long bytes = switch (first.kind()) {
                case "model" -> ModelGenerator.generate(seed).bytes();
                case "spec" -> {
                    SpecCase c = SpecGenerator.generate(seed);
                    yield c.spec().length() + c.files().values().stream().mapToLong(b -> b.length).sum();
                }
                default -> Long.MAX_VALUE;
            };
            if (bytes < smallestBytes) {
                smallestBytes = bytes;
                smallest = new Finding(first.kind(), seed, first.command(), first.problem(), first.detail(),
                        first.signature());
            }
        }
    }
}
