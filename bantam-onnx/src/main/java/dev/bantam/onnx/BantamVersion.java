package dev.bantam.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Bantam's version, recorded in the provenance of every model it writes. */
public final class BantamVersion {

    private BantamVersion() {
    }

    public static String get() {
        try (InputStream in = BantamVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
