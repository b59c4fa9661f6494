package dev.bantam.runtime.data;

import dev.bantam.runtime.DataException;
import java.util.List;

/** The items of another source from an offset on: calibration on items that evaluation does not use. */
final class OffsetSource implements DataSource {

    private final DataSource all;
    private final int offset;

    private OffsetSource(DataSource all, int offset) {
        this.all = all;
        this.offset = offset;
    }

    static DataSource of(DataSource all, int offset, String spec) {
        if (offset >= all.size()) {
            throw new DataException("data spec '" + spec + "': offset " + offset + " is past the " + all.size() + " items");
        }
        return new OffsetSource(all, offset);
    }

    @Override
    public int size() {
        return all.size() - offset;
    }

    @Override
    public Batch batch(int start, int count) {
        return all.batch(offset + start, count);
    }

    @Override
    public List<String> labelNames() {
        return all.labelNames();
    }

    @Override
    public String describe() {
        return all.describe() + ", from item " + offset;
    }
}
