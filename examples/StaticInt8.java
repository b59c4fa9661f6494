import dev.bantam.compress.Score;
import dev.bantam.compress.optimize.OptimizeConfig;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.recipe.CompressionReport;
import dev.bantam.compress.recipe.Compressor;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.runtime.context.OrtContext;
import java.nio.file.Path;

/**
 * Bantam as a library: load a model, optimize it, quantize it to static INT8 calibrated on data, measure what
 * it kept on held-out data, save it. The same as
 * {@code bantam compress IN -o OUT --recipe R --data CALIBRATION} with R = [optimize extended, quantize-static].
 *
 * <p>Run: {@code java -cp "bantam-cli/target/bantam-cli.jar" examples/StaticInt8.java
 * models/fmnist/resnet.onnx /tmp/resnet-int8.onnx fmnist:models/fmnist/sample,split=train fmnist:models/fmnist/sample}
 */
public final class StaticInt8 {

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Model model = ModelIO.load(input);
        Recipe recipe = Recipe.of(OptimizeConfig.level(Optimizer.Level.EXTENDED), StaticQuantizeConfig.defaults());
        try (OrtContext context = OrtContext.builder().calibrationData(args[2]).evaluationData(args[3]).build()) {
            CompressionReport report = Compressor.compress(model, recipe, context);
            Score kept = context.score(ModelIO.load(input), model, 1000);
            System.out.printf("weights %,d -> %,d bytes; top-1 %.2f%% -> %.2f%%; mean cosine %.4f%n",
                    report.before().parameterBytes(), report.after().parameterBytes(),
                    100 * kept.referenceTop1(), 100 * kept.candidateTop1(), kept.meanCosine());
        }
        ModelIO.save(model, output);
    }
}
