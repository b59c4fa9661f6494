package dev.bantam.runtime.data;

import dev.bantam.runtime.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A WAV file's samples as floats in [-1, 1], channels averaged: 8-, 16-, 24- and 32-bit PCM and 32-bit float. The
 * header is checked before anything large is read; a file that is not one of these says what it is.
 */
record Wav(int rate, float[] samples) {

    /** Samples at most (about 6 hours at 48 kHz). */
    static final long MAX_SAMPLES = 1L << 30;

    static Wav read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("audio file " + file + " does not exist");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_SAMPLES * 4 + (1 << 20)) {
                throw new DataException(file + ": " + size + " bytes is more audio than Bantam reads (" + MAX_SAMPLES
                        + " samples)");
            }
            return parse(file, ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    private static Wav parse(Path file, ByteBuffer b) {
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
            throw new DataException(file + ": not a WAV file (no RIFF/WAVE header)");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long len = b.getInt(pos + 4) & 0xffffffffL;
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (len < 16 || body + 16 > b.limit()) {
                    throw new DataException(file + ": the WAV format chunk is too short");
                }
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
                if (format == 0xfffe && len >= 26) { // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
                    format = b.getShort(body + 24) & 0xffff;
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new DataException(file + ": the WAV data comes before its format chunk");
                }
                long available = Math.min(len, b.limit() - body);
                return samples(file, b, body, available, format, channels, rate, bits);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + len + (len & 1));
        }
        throw new DataException(file + ": the WAV file has no data chunk");
    }

    private static Wav samples(Path file, ByteBuffer b, int body, long bytes, int format, int channels, int rate,
                               int bits) {
        boolean pcm = format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        boolean flt = format == 3 && bits == 32;
        if (!pcm && !flt) {
            throw new DataException(file + ": WAV format " + format + " with " + bits + "-bit samples is not supported "
                    + "(PCM 8/16/24/32-bit or 32-bit float)");
        }
        if (channels < 1 || channels > 64 || rate < 1 || rate > 1_000_000) {
            throw new DataException(file + ": WAV header says " + channels + " channels at " + rate + " Hz");
        }
        int width = bits / 8;
        long frames = bytes / ((long) width * channels);
        if (frames > MAX_SAMPLES) {
            throw new DataException(file + ": more than " + MAX_SAMPLES + " samples");
        }
        float[] out = new float[(int) frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int at = body + (f * channels + c) * width;
                sum += flt ? b.getFloat(at) : switch (bits) {
                    case 8 -> ((b.get(at) & 0xff) - 128) / 128.0;
                    case 16 -> b.getShort(at) / 32768.0;
                    case 24 -> ((b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8 | b.get(at + 2) << 16) / 8388608.0;
                    default -> b.getInt(at) / 2147483648.0;
                };
            }
            out[f] = (float) (sum / channels);
        }
        return new Wav(rate, out);
    }
}
