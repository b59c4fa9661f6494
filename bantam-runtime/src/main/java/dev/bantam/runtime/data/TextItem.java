package dev.bantam.runtime.data;

import java.nio.file.Path;

/**
 * One text and its label name (null when unlabeled). A text from a file is read when it is asked for, so a
 * source of many files holds their paths, not their contents.
 *
 * @param text      the text, or null when it is still in {@code file}
 * @param file      where the text is read from when {@code text} is null
 * @param emailBody whether mail headers and markup are dropped on reading
 * @param label     the label name, or null
 */
public record TextItem(String text, Path file, boolean emailBody, String label) {

    public TextItem(String text, String label) {
        this(text, null, false, label);
    }

    static TextItem lazy(Path file, boolean emailBody, String label) {
        return new TextItem(null, file, emailBody, label);
    }

    @Override
    public String text() {
        return text != null ? text : TextItems.read(file, emailBody);
    }
}
