package dev.bantam.runtime.data;

import dev.bantam.runtime.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads texts: one per line of a file, or one per file of a folder with the label taken from the subfolder. */
public final class TextItems {

    private static final int MAX_CHARS = 20_000;

    private TextItems() {
    }

    public static List<TextItem> fromLines(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("text file " + file + " does not exist");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(l -> new TextItem(l, null)).toList();
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    /**
     * One item per file under {@code dir} matching {@code glob}. A file in a subfolder is labeled with the
     * subfolder's name, or with the first group of {@code labelPattern} found in it (files whose folder it
     * does not match are skipped). With {@code emailBody}, mail headers are dropped. With {@code limit > 0},
     * a seeded random sample of that many files is taken.
     */
    public static List<TextItem> fromFolder(Path dir, String glob, Pattern labelPattern, boolean emailBody,
                                            int limit, long seed) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("text folder " + dir + " does not exist");
        }
        PathMatcher match = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> match.matches(p.getFileName())).sorted().toList());
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list: " + IoProblem.describe(e), e);
        }
        if (limit > 0 && limit < files.size()) {
            Collections.shuffle(files, new Random(seed));
            files = files.subList(0, limit);
        }
        List<TextItem> out = new ArrayList<>(files.size());
        for (Path f : files) {
            Path rel = dir.relativize(f);
            String label = rel.getNameCount() > 1 ? rel.getName(0).toString() : null;
            if (label != null && labelPattern != null) {
                Matcher m = labelPattern.matcher(label);
                if (!m.find()) {
                    continue;
                }
                label = m.groupCount() > 0 ? m.group(1) : m.group();
            }
            out.add(TextItem.lazy(f, emailBody, label));
        }
        if (out.isEmpty()) {
            throw new DataException("text folder " + dir + " has no files matching '" + glob + "'");
        }
        return out;
    }

    static String read(Path f, boolean emailBody) {
        try {
            String s = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            if (emailBody) {
                int i = s.indexOf("\n\n");
                s = i >= 0 ? s.substring(i + 2) : s;
                s = s.replaceAll("<[^>]{0,200}>", " ");
            }
            s = s.replaceAll("\\s+", " ").trim();
            return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
        } catch (IOException e) {
            throw new DataException(f + ": cannot read: " + IoProblem.describe(e), e);
        }
    }
}
