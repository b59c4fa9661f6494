package dev.bantam.compress.stats;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics a technique asks for, by activation name, and then holds: a technique declares what it needs
 * ({@code new ActivationStatistics().withHistogram("x").withGram("y", -1)}), the context runs the model on
 * calibration data and feeds every named activation to {@link #observe}, and the technique reads the results.
 * Memory is fixed by the activations and their widths, never by the number of samples; two collections made
 * from different parts of the data {@link #merge} into exactly the one-pass result.
 */
public final class ActivationStatistics implements ActivationObserver {

    private final Map<String, List<Accumulator<?>>> byName = new LinkedHashMap<>();
    private long items;

    /** Asks for a histogram (with exact min and max) of {@code name}'s values. */
    public ActivationStatistics withHistogram(String name) {
        return with(name, new Histogram());
    }

    /** Asks for the per-channel minimum and maximum of {@code name} along {@code axis}. */
    public ActivationStatistics withChannelExtremes(String name, int axis) {
        return with(name, new ChannelExtremes(axis));
    }

    /** Asks for the spread of {@code name}'s magnitudes over binary exponents, with the exact largest. */
    public ActivationStatistics withMagnitudes(String name) {
        return with(name, new MagnitudeHistogram());
    }

    /** Asks for per-channel counts, sums and sums of squares (mean, second moment, norm) along {@code axis}. */
    public ActivationStatistics withChannelMoments(String name, int axis) {
        return with(name, new ChannelMoments(axis));
    }

    /** Asks for XᵀX over the vectors of {@code name} along {@code axis}. */
    public ActivationStatistics withGram(String name, int axis) {
        return with(name, new GramMatrix(axis));
    }

    /** Asks for XᵀX over the input patches a convolution of this geometry reads from {@code name}. */
    public ActivationStatistics withPatchGram(String name, PatchGram.Geometry geometry) {
        return with(name, new PatchGram(geometry));
    }

    /** Asks for any accumulator; a request equal to one already made (same kind and settings) is served by it. */
    public ActivationStatistics with(String name, Accumulator<?> accumulator) {
        List<Accumulator<?>> list = byName.computeIfAbsent(name, k -> new ArrayList<>());
        if (list.stream().noneMatch(a -> a.sameRequestAs(accumulator))) {
            list.add(accumulator);
        }
        return this;
    }

    /** The activations to observe, in the order they were asked for. */
    public Set<String> names() {
        return byName.keySet();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public void observe(String name, long[] dims, FloatBuffer values) {
        List<Accumulator<?>> list = byName.get(name);
        if (list != null) {
            for (Accumulator<?> a : list) {
                a.observe(dims, values);
            }
        }
    }

    /** Counts items (samples) the statistics were computed on; the context that runs the model calls it. */
    public void addItems(long n) {
        items += n;
    }

    /** How many items (samples) the statistics were computed on. */
    public long items() {
        return items;
    }

    /** The same requests, with nothing observed: for a part of the data to be merged later. */
    public ActivationStatistics emptyCopy() {
        ActivationStatistics s = new ActivationStatistics();
        byName.forEach((name, list) -> list.forEach(a -> s.with(name, a.emptyCopy())));
        return s;
    }

    /** Adds what {@code other} (a copy of the same requests) observed. */
    public void merge(ActivationStatistics other) {
        if (!byName.keySet().equals(other.byName.keySet())) {
            throw new IllegalArgumentException("cannot merge statistics of different activations");
        }
        items += other.items;
        byName.forEach((name, mine) -> {
            List<Accumulator<?>> theirs = other.byName.get(name);
            if (theirs.size() != mine.size()) {
                throw new IllegalArgumentException("cannot merge different statistics of " + name);
            }
            for (int i = 0; i < mine.size(); i++) {
                mergeOne(mine.get(i), theirs.get(i), name);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <A extends Accumulator<A>> void mergeOne(Accumulator<?> mine, Accumulator<?> theirs, String name) {
        if (mine.getClass() != theirs.getClass()) {
            throw new IllegalArgumentException("cannot merge different statistics of " + name);
        }
        ((A) mine).merge((A) theirs);
    }

    /** The (first) accumulator of this kind for {@code name}; throws when it was not asked for. */
    public <A extends Accumulator<A>> A get(String name, Class<A> kind) {
        for (Accumulator<?> a : byName.getOrDefault(name, List.of())) {
            if (kind.isInstance(a)) {
                return kind.cast(a);
            }
        }
        throw new IllegalArgumentException("no " + kind.getSimpleName() + " was collected for " + name);
    }

    public Histogram histogram(String name) {
        return get(name, Histogram.class);
    }

    public MagnitudeHistogram magnitudes(String name) {
        return get(name, MagnitudeHistogram.class);
    }

    public ChannelExtremes channelExtremes(String name) {
        return get(name, ChannelExtremes.class);
    }

    public ChannelMoments channelMoments(String name) {
        return get(name, ChannelMoments.class);
    }

    public GramMatrix gram(String name) {
        return get(name, GramMatrix.class);
    }

    /** The patch Gram matrix of {@code name} for this convolution geometry. */
    public PatchGram patchGram(String name, PatchGram.Geometry geometry) {
        for (Accumulator<?> a : byName.getOrDefault(name, List.of())) {
            if (a instanceof PatchGram p && p.geometry().equals(geometry)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no patch Gram matrix of " + geometry + " was collected for " + name);
    }
}
