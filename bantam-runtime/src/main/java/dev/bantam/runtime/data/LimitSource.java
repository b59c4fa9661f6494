package dev.bantam.runtime.data;

import java.util.List;

/** The first items of another source, for sources that cannot stop reading early themselves. */
final class LimitSource implements DataSource {

    private final DataSource all;
    private final int limit;

    private LimitSource(DataSource all, int limit) {
        this.all = all;
        this.limit = limit;
    }

    static DataSource of(DataSource all, int limit) {
        return new LimitSource(all, Math.min(limit, all.size()));
    }

    @Override
    public int size() {
        return limit;
    }

    @Override
    public Batch batch(int start, int count) {
        if (start < 0 || count < 0 || start + count > limit) {
            throw new IndexOutOfBoundsException("items " + start + ".." + (start + count) + " of " + limit);
        }
        return all.batch(start, count);
    }

    @Override
    public List<String> labelNames() {
        return all.labelNames();
    }

    @Override
    public String describe() {
        return all.describe() + ", first " + limit;
    }
}
