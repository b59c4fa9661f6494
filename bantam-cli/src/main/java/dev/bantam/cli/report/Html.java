package dev.bantam.cli.report;

/** HTML escaping and the page shell every report shares: inline CSS, nothing fetched from the network. */
final class Html {

    static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:13px;display:block;overflow-x:auto;max-width:100%}th,td{border:1px solid #ccc;padding:3px 7px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child,td.l{text-align:left}"
            + "td:first-child{white-space:nowrap}.plots{display:flex;flex-wrap:wrap;gap:24px}"
            + ".plot{border:1px solid #ddd;padding:8px}h1{font-size:22px}h2{font-size:18px;margin-top:1.8em}"
            + "h3{font-size:15px;margin-top:1.4em}.meta{color:#666;font-size:13px}li{font-size:13px}"
            + "pre{background:#f7f7f7;padding:8px;font-size:12px;overflow-x:auto}.warn{color:#b7410e}";

    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Opens a page: doctype, title, styles, the heading. */
    static StringBuilder page(String title, String heading) {
        return new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>")
                .append(esc(title)).append("</title><style>").append(CSS).append("</style></head><body><h1>")
                .append(esc(heading)).append("</h1>");
    }

    static String close(StringBuilder b) {
        return b.append("</body></html>\n").toString();
    }

    static String td(String s) {
        return "<td>" + esc(s) + "</td>";
    }
}
