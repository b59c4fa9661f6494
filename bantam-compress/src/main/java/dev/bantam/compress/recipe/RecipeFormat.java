package dev.bantam.compress.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bantam.compress.Technique;
import dev.bantam.compress.TechniqueConfig;
import dev.bantam.compress.Techniques;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes recipes. The file is YAML ({@code .yaml}, {@code .yml}) or JSON; its top level has the
 * format version {@code bantam-recipe: 1} and {@code steps}, a list whose items each name one technique with
 * the fields that differ from its defaults, and optionally the step's own {@code data}. Anything malformed (an
 * unknown technique, an unknown or mistyped field, a value the technique refuses, another version) is a
 * {@link RecipeException} naming the place, e.g. {@code steps[2].quantize-static.calibration.samples}.
 */
public final class RecipeFormat {

    static final String VERSION_KEY = "bantam-recipe";

    private RecipeFormat() {
    }

    /** Reads a recipe file (YAML unless the name ends in .json). */
    public static Recipe read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such recipe file");
        }
        String name = file.getFileName().toString();
        return parse(Files.readString(file, StandardCharsets.UTF_8), name, !name.endsWith(".json"));
    }

    /** Parses recipe text; {@code source} names it in messages. */
    public static Recipe parse(String text, String source, boolean yaml) {
        JsonNode root;
        try {
            root = (yaml ? Mappers.yaml() : Mappers.json()).readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new RecipeException(source + ": not valid " + (yaml ? "YAML" : "JSON")
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new RecipeException(source + ": a recipe is a mapping with '" + VERSION_KEY + ": " + Recipe.VERSION
                    + "' and 'steps'");
        }
        return fromTree((ObjectNode) root, source);
    }

    private static Recipe fromTree(ObjectNode root, String source) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals(VERSION_KEY) && !key.equals("steps")) {
                throw new RecipeException(source + ": unknown key '" + key + "' (a recipe has '" + VERSION_KEY
                        + "' and 'steps')");
            }
        }
        JsonNode version = root.get(VERSION_KEY);
        if (version == null) {
            throw new RecipeException(source + ": missing '" + VERSION_KEY + ": " + Recipe.VERSION
                    + "' (the recipe format version)");
        }
        if (!version.isIntegralNumber() || version.asInt() != Recipe.VERSION) {
            throw new RecipeException(source + ": unsupported recipe version " + version + " (this Bantam reads version "
                    + Recipe.VERSION + ")");
        }
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw new RecipeException(source + ": 'steps' must be a list of at least one step");
        }
        List<RecipeStep> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            out.add(step(steps.get(i), source + ": steps[" + (i + 1) + "]"));
        }
        return new Recipe(out);
    }

    private static RecipeStep step(JsonNode node, String place) {
        if (!node.isObject()) {
            throw new RecipeException(place + ": a step is a mapping from a technique to its settings, e.g. "
                    + "'- optimize: {level: extended}'");
        }
        String technique = null;
        String data = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("data")) {
                if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                    throw new RecipeException(place + ".data: expected a data spec (a string)");
                }
                data = e.getValue().isNull() ? null : e.getValue().asText();
            } else if (technique != null) {
                throw new RecipeException(place + ": one technique per step, found '" + technique + "' and '"
                        + e.getKey() + "'");
            } else {
                technique = e.getKey();
            }
        }
        if (technique == null) {
            throw new RecipeException(place + ": the step names no technique (" + techniqueNames() + ")");
        }
        String name = technique;
        Technique<?, ?> t = Techniques.named(name).orElseThrow(() -> new RecipeException(place
                + ": unknown technique '" + name + "' (" + techniqueNames() + ")"));
        JsonNode settings = node.get(name);
        boolean empty = settings.isNull() || settings.isTextual() && settings.asText().isEmpty(); // "- optimize:"
        if (!empty && !settings.isObject()) {
            throw new RecipeException(place + "." + name + ": expected a mapping of settings");
        }
        return new RecipeStep(config(t, empty ? JsonNodeFactory.instance.objectNode() : (ObjectNode) settings,
                place + "." + name), data);
    }

    /** The technique's defaults with the given fields put over them, then checked by the config itself. */
    static TechniqueConfig config(Technique<?, ?> t, ObjectNode given, String place) {
        ObjectMapper json = Mappers.json();
        ObjectNode merged = json.valueToTree(t.defaults());
        overlay(merged, given, place);
        try {
            return json.treeToValue(merged, t.configType());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RecipeException(place + where(e) + ": " + firstLine(cause.getMessage()));
        } catch (InvalidFormatException e) {
            throw new RecipeException(place + where(e) + ": " + expected(e.getTargetType()) + ", found '"
                    + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            throw new RecipeException(place + where(e) + ": " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new RecipeException(place + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    /** Puts {@code given}'s fields over {@code base}'s, recursively; a field {@code base} lacks is an error. */
    private static void overlay(ObjectNode base, ObjectNode given, String place) {
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!base.has(key)) {
                List<String> known = new ArrayList<>();
                base.fieldNames().forEachRemaining(known::add);
                throw new RecipeException(place + ": unknown field '" + key + "' (" + String.join(", ", known) + ")");
            }
            JsonNode old = base.get(key);
            if (old.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new RecipeException(place + "." + key + ": expected a mapping of settings");
                }
                if (old.isEmpty()) { // a map with names of the user's own (calibration.perActivation), not settings
                    base.set(key, e.getValue());
                    continue;
                }
                overlay((ObjectNode) old, (ObjectNode) e.getValue(), place + "." + key);
            } else {
                base.set(key, e.getValue());
            }
        }
    }

    private static String where(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex() + 1).append(']');
            }
        }
        return b.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type.isEnum()) {
            return "expected one of " + Mappers.labels(type);
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "expected an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "expected a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "expected true or false";
        }
        if (type == String.class) {
            return "expected a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "expected a list";
        }
        return "expected a mapping of settings";
    }

    private static String techniqueNames() {
        return String.join(", ", Techniques.byName().keySet());
    }

    /** The recipe as one line of JSON (for provenance), all fields of every step written out. */
    public static String toJson(Recipe recipe) {
        try {
            return Mappers.json().writeValueAsString(toTree(recipe));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a recipe: " + e.getOriginalMessage(), e);
        }
    }

    /** The recipe as YAML, all fields written out. */
    public static String toYaml(Recipe recipe) {
        try {
            return Mappers.yaml().writeValueAsString(toTree(recipe));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a recipe: " + e.getOriginalMessage(), e);
        }
    }

    /** The recipe as the file writes it. */
    static ObjectNode toTree(Recipe recipe) {
        ObjectMapper json = Mappers.json();
        ObjectNode root = json.createObjectNode();
        root.put(VERSION_KEY, Recipe.VERSION);
        ArrayNode steps = root.putArray("steps");
        for (RecipeStep s : recipe.steps()) {
            ObjectNode step = steps.addObject();
            step.set(s.technique(), json.valueToTree(s.config()));
            if (s.data() != null) {
                step.put("data", s.data());
            }
        }
        return root;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
