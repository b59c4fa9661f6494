package dev.bantam.runtime.data;

import java.util.List;

/** Items {@code from} (inclusive) to {@code to} (exclusive) of another source: a split kept apart from the rest. */
public final class DataSlice implements DataSource {

    private final DataSource all;
    private final int from;
    private final int to;
    private final String what;

    private DataSlice(DataSource all, int from, int to, String what) {
        this.all = all;
        this.from = from;
        this.to = to;
        this.what = what;
    }

    /** @param what how reports name the slice, e.g. "the last 128 items, held out" */
    public static DataSource of(DataSource all, int from, int to, String what) {
        if (from < 0 || to > all.size() || from >= to) {
            throw new IllegalArgumentException("no items " + from + " to " + to + " in a source of " + all.size());
        }
        return new DataSlice(all, from, to, what);
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public Batch batch(int start, int count) {
        if (start < 0 || count < 0 || start + count > size()) {
            throw new IndexOutOfBoundsException("items " + start + " to " + (start + count) + " of a slice of " + size());
        }
        return all.batch(from + start, count);
    }

    @Override
    public List<String> labelNames() {
        return all.labelNames();
    }

    @Override
    public String describe() {
        return all.describe() + " (" + what + ")";
    }
}
