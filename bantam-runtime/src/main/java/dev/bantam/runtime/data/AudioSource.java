package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.nio.file.Path;
import java.util.Map;

/**
 * A recording cut into consecutive chunks of {@code chunk} samples, one item per chunk in time order (the last,
 * partial chunk is dropped): the input of a streaming audio model such as a voice-activity detector. The input
 * is [items, chunk] or [items, 1, chunk].
 */
final class AudioSource implements DataSource {

    private final float[] samples;
    private final int chunk;
    private final InputInfo input;
    private final String description;

    private AudioSource(float[] samples, int chunk, InputInfo input, String description) {
        this.samples = samples;
        this.chunk = chunk;
        this.input = input;
        this.description = description;
    }

    static AudioSource of(Path file, int chunk, int rate, InputInfo input) {
        long[] shape = input.shape();
        if (input.type() != DataType.FLOAT || (shape.length != 2 && !(shape.length == 3 && shape[1] == 1))) {
            throw new DataException("input '" + input.name() + "': audio data gives float[items, chunk] or "
                    + "float[items, 1, chunk], the model expects " + input.describe());
        }
        if (shape[shape.length - 1] >= 0 && shape[shape.length - 1] != chunk) {
            throw new DataException("input '" + input.name() + "' takes chunks of " + shape[shape.length - 1]
                    + " samples: give chunk=" + shape[shape.length - 1]);
        }
        Wav wav = Wav.read(file);
        if (rate > 0 && wav.rate() != rate) {
            throw new DataException(file + ": recorded at " + wav.rate() + " Hz, the spec asks for " + rate
                    + " Hz (resample it first, e.g. sox IN -r " + rate + " OUT.wav)");
        }
        return new AudioSource(wav.samples(), chunk, input, String.format(java.util.Locale.ROOT,
                "%d chunks of %d samples from %s (%.1f s at %d Hz)", wav.samples().length / chunk, chunk,
                file.getFileName(), wav.samples().length / (double) wav.rate(), wav.rate()));
    }

    @Override
    public int size() {
        return samples.length / chunk;
    }

    @Override
    public Batch batch(int start, int count) {
        float[] v = java.util.Arrays.copyOfRange(samples, start * chunk, (start + count) * chunk);
        long[] dims = input.shape().length == 3 ? new long[] {count, 1, chunk} : new long[] {count, chunk};
        return new Batch(Map.of(input.name(), Tensor.ofFloats(input.name(), v, dims)), null, count);
    }

    @Override
    public String describe() {
        return description;
    }
}
