package dev.bantam.cli.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts for reports: a labeled scatter plot and a histogram. */
final class Svg {

    static final int W = 520;
    static final int H = 320;
    private static final int L = 70;
    private static final int R = 20;
    private static final int T = 20;
    private static final int B = 50;

    record Point(String label, double x, double y) {
    }

    private Svg() {
    }

    static String scatter(List<Point> points, String xLabel, String yLabel) {
        double[] xr = range(points.stream().mapToDouble(Point::x).toArray());
        double[] yr = range(points.stream().mapToDouble(Point::y).toArray());
        StringBuilder s = open();
        axes(s, xr, yr, xLabel, yLabel);
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double x = sx(p.x(), xr);
            double y = sy(p.y(), yr);
            s.append(f("<circle cx='%.1f' cy='%.1f' r='6' fill='%s'><title>%s: %s %.4g, %s %.4g</title></circle>",
                    x, y, colors[i % colors.length], Html.esc(p.label()), Html.esc(xLabel), p.x(), Html.esc(yLabel), p.y()));
            boolean right = x > L + 0.6 * (W - L - R);
            s.append(f("<text x='%.1f' y='%.1f' font-size='12' fill='%s' text-anchor='%s'>%s</text>",
                    right ? x - 9 : x + 9, y - 8, colors[i % colors.length], right ? "end" : "start",
                    Html.esc(p.label())));
        }
        return s.append("</svg>").toString();
    }

    static String histogram(double[] values, int bins, String xLabel) {
        if (values.length == 0) {
            return "<p>No per-item comparison (no reference model).</p>";
        }
        double lo = java.util.Arrays.stream(values).min().orElse(0);
        double hi = java.util.Arrays.stream(values).max().orElse(1);
        double[] xr = hi > lo ? new double[] {lo, hi} : new double[] {lo - 1e-6, hi + 1e-6};
        int[] counts = new int[bins];
        for (double v : values) {
            int b = (int) Math.min(bins - 1, Math.floor((v - xr[0]) / (xr[1] - xr[0]) * bins));
            counts[Math.max(0, b)]++;
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        double[] yr = {0, max};
        StringBuilder s = open();
        axes(s, xr, yr, xLabel, "items");
        double bw = (W - L - R) / (double) bins;
        for (int i = 0; i < bins; i++) {
            double h = (H - T - B) * counts[i] / (double) Math.max(1, max);
            s.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#1f77b4'><title>%d items in [%.5f, %.5f)</title></rect>",
                    L + i * bw + 1, H - B - h, bw - 2, h, counts[i], xr[0] + i * (xr[1] - xr[0]) / bins,
                    xr[0] + (i + 1) * (xr[1] - xr[0]) / bins));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder open() {
        return new StringBuilder(f("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                + "font-family='sans-serif'>", W, H, W, H));
    }

    private static void axes(StringBuilder s, double[] xr, double[] yr, String xLabel, String yLabel) {
        s.append(f("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, H - B, W - R, H - B));
        s.append(f("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, T, L, H - B));
        String[] xt = ticks(xr);
        String[] yt = ticks(yr);
        for (int i = 0; i <= 4; i++) {
            double xv = xr[0] + i * (xr[1] - xr[0]) / 4;
            double yv = yr[0] + i * (yr[1] - yr[0]) / 4;
            s.append(f("<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>", sx(xv, xr), H - B + 16, xt[i]));
            s.append(f("<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>", L - 6, sy(yv, yr) + 4, yt[i]));
            s.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", L + 1, sy(yv, yr), W - R, sy(yv, yr)));
        }
        s.append(f("<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>", (L + W - R) / 2, H - 12, Html.esc(xLabel)));
        s.append(f("<text x='16' y='%d' font-size='12' text-anchor='middle' transform='rotate(-90 16 %d)'>%s</text>",
                (T + H - B) / 2, (T + H - B) / 2, Html.esc(yLabel)));
    }

    private static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        double pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.05, 1e-6);
        return new double[] {lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad};
    }

    private static double sx(double x, double[] r) {
        return L + (x - r[0]) / (r[1] - r[0]) * (W - L - R);
    }

    private static double sy(double y, double[] r) {
        return H - B - (y - r[0]) / (r[1] - r[0]) * (H - T - B);
    }

    /**
     * The labels of the five ticks spanning {@code r}, with as many decimals as it takes to tell them apart and to
     * put each within a tenth of a step of its place: cosines between 0.99995 and 0.99999 all read "1.000" at four
     * significant digits.
     */
    static String[] ticks(double[] r) {
        double step = (r[1] - r[0]) / 4;
        int digits = step > 0 && Double.isFinite(step) ? Math.max(0, (int) Math.ceil(-Math.log10(step))) : 0;
        for (;; digits++) {
            String[] t = new String[5];
            boolean close = true;
            for (int i = 0; i <= 4; i++) {
                double v = r[0] + i * step;
                t[i] = String.format(Locale.ROOT, "%." + digits + "f", v);
                close &= Math.abs(Double.parseDouble(t[i]) - v) < 0.1 * step;
            }
            if ((close && new java.util.HashSet<>(List.of(t)).size() == 5) || digits >= 15) {
                return t;
            }
        }
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
