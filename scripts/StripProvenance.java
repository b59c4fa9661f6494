import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import java.nio.file.Path;

/**
 * Re-saves a model without Bantam's provenance entries (metadata keys starting with "bantam."), so that two
 * outputs can be compared on everything else. Used by scripts/regression-hashes.
 * Run: java -cp bantam-cli/target/bantam-cli.jar scripts/StripProvenance.java IN OUT
 */
public class StripProvenance {
    public static void main(String[] args) throws Exception {
        Model m = ModelIO.load(Path.of(args[0]));
        m.metadata().removeIf(kv -> kv.key().startsWith("bantam."));
        ModelIO.save(m, Path.of(args[1]));
    }
}
