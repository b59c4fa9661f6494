package dev.bantam.bench.fuzz;

import java.util.regex.Pattern;

/**
 * Normalizes evidence so findings of one cause share a signature: quoted names, paths and numbers are replaced
 * by placeholders, and only the first line is kept.
 */
final class Signatures {

    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
    private static final Pattern PATH = Pattern.compile("(?<![\\w.])(/[^\\s:,;()\\[\\]]+)+");
    private static final Pattern NUMBER = Pattern.compile("-?\\b(0x[0-9a-fA-F]+|\\d+(\\.\\d+)?([eE][-+]?\\d+)?)\\b");
    private static final Pattern NAMES = Pattern.compile("\\b(nowhere|extra|chain|nest_if|nest)_?\\w*\\b");
    private static final Pattern LISTS = Pattern.compile("\\[[^\\]]*\\]");

    /** A trace in user-facing stderr: a frame, a cause, an exception or error class name, or a bare "null". */
    static final Pattern TRACE = Pattern.compile("\tat |^Caused by|\\b[A-Za-z_$][\\w$]*(Exception|Error)\\b|\\bError:"
            + "|\\bnull\\b", Pattern.MULTILINE);

    private Signatures() {
    }

    /** Where ONNX Runtime's own text starts in a relayed message: signatures stop there, so they group. */
    private static final Pattern ORT_TEXT = Pattern.compile("(Error code - ORT_\\w+ - message: \\w+ \\w+ from)|"
            + "(Load model from)");

    static String normalize(String detail) {
        String s = detail.lines().findFirst().orElse("");
        var ort = ORT_TEXT.matcher(s);
        if (ort.find()) {
            s = s.substring(0, ort.end()) + " ...";
        }
        s = QUOTED.matcher(s).replaceAll("'_'");
        s = PATH.matcher(s).replaceAll("PATH");
        s = LISTS.matcher(s).replaceAll("[_]");
        s = NUMBER.matcher(s).replaceAll("N");
        s = NAMES.matcher(s).replaceAll("NAME");
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > 160 ? s.substring(0, 160) : s;
    }

    /** The first stack-trace-like line of {@code err}, or null when there is none. */
    static String traceLine(String stderr) {
        String err = PATH.matcher(stderr).replaceAll("PATH");
        var m = TRACE.matcher(err);
        if (!m.find()) {
            return null;
        }
        int start = err.lastIndexOf('\n', m.start()) + 1;
        int end = err.indexOf('\n', m.start());
        return err.substring(start, end < 0 ? err.length() : end);
    }

    /** "Class at first dev.bantam frame (or first frame)" for a Throwable caught around the CLI. */
    static String throwable(Throwable t) {
        StackTraceElement top = null;
        for (StackTraceElement e : t.getStackTrace()) {
            if (top == null) {
                top = e;
            }
            if (e.getClassName().startsWith("dev.bantam.") && !e.getClassName().startsWith("dev.bantam.bench.")) {
                top = e;
                break;
            }
        }
        return t.getClass().getName() + " at " + (top == null ? "?" : top.getClassName() + "." + top.getMethodName())
                + ": " + t.getMessage();
    }
}
