package dev.bantam.runtime.data;

/** One text and its label name (null when unlabeled). */
public record TextItem(String text, String label) {
}
