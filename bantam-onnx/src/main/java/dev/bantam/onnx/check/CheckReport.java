package dev.bantam.onnx.check;

import java.util.List;

/** The checker's findings; a model with errors is not safe to run or rewrite. */
public record CheckReport(List<Issue> issues) {

    public CheckReport {
        issues = List.copyOf(issues);
    }

    public List<Issue> errors() {
        return issues.stream().filter(i -> i.severity() == Issue.Severity.ERROR).toList();
    }

    public List<Issue> warnings() {
        return issues.stream().filter(i -> i.severity() == Issue.Severity.WARNING).toList();
    }

    public boolean hasErrors() {
        return !errors().isEmpty();
    }

    /** Throws {@link ModelCheckException} naming the first error (and how many more) when there is one. */
    public void requireValid() {
        List<Issue> e = errors();
        if (!e.isEmpty()) {
            throw new ModelCheckException(this, e.getFirst() + (e.size() > 1 ? " (and " + (e.size() - 1)
                    + " more problems)" : ""));
        }
    }
}
