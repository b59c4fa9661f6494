package dev.bantam.runtime.data;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Misspelled words, the text side of {@link Perturbation.Kind#TYPOS}: each word of three letters or more is, with
 * probability {@code fraction}, given one typing error (two neighbouring letters swapped, one dropped, one doubled,
 * or one replaced by another letter) before the text is tokenized. Seeded per item, so an item reads the same on
 * every run and in every model, whatever batch it falls in.
 */
record Typos(double fraction, long seed) {

    private static final Pattern WORD = Pattern.compile("\\p{L}{3,}");

    String apply(String text, int item) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + item * 31L + 0x7195L);
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            String w = m.group();
            out.append(r.nextDouble() < fraction ? misspell(w, r) : w);
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static String misspell(String w, Random r) {
        int i = r.nextInt(w.length() - 1);
        return switch (r.nextInt(4)) {
            case 0 -> w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2);
            case 1 -> w.substring(0, i) + w.substring(i + 1);
            case 2 -> w.substring(0, i + 1) + w.charAt(i) + w.substring(i + 1);
            default -> w.substring(0, i) + (char) ('a' + r.nextInt(26)) + w.substring(i + 1);
        };
    }
}
