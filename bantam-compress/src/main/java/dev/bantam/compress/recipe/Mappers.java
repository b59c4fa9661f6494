package dev.bantam.compress.recipe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JSON and YAML mappers of recipes and reports: records by their components, enums written as lower-case
 * words with hyphens ({@code per-channel}, {@code qdq}) and read in any case with hyphens or underscores,
 * no silent coercion (a string for a number, a fraction for an integer, null for a primitive are errors),
 * map keys sorted so output is deterministic.
 */
public final class Mappers {

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())).build();

    private Mappers() {
    }

    /** JSON, compact unless {@link #pretty()} is used for writing. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** A writer for indented JSON. */
    public static com.fasterxml.jackson.databind.ObjectWriter pretty() {
        return JSON.writerWithDefaultPrettyPrinter();
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    /** An enum constant as recipes and reports write it: {@code PER_CHANNEL} as {@code per-channel}. */
    public static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B b) {
        SimpleModule enums = new SimpleModule("bantam-enums");
        enums.addSerializer(new EnumLabelSerializer());
        enums.addSerializer(Recipe.class, new StdSerializer<>(Recipe.class) {
            @Override
            public void serialize(Recipe value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeTree(RecipeFormat.toTree(value));
            }
        });
        enums.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                              BeanDescription desc, JsonDeserializer<?> deserializer) {
                return new EnumLabelDeserializer(type.getRawClass());
            }
        });
        return b.addModule(enums)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class EnumLabelSerializer extends StdSerializer<Enum> {
        EnumLabelSerializer() {
            super(Enum.class);
        }

        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(label(value));
        }
    }

    /** Reads an enum from its label in any case, with hyphens or underscores. */
    private static final class EnumLabelDeserializer extends StdScalarDeserializer<Object> {
        private final Class<?> type;

        EnumLabelDeserializer(Class<?> type) {
            super(type);
            this.type = type;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue() || p.currentToken().isNumeric()) {
                return ctxt.handleUnexpectedToken(type, p);
            }
            String text = p.getText().trim();
            String key = text.toUpperCase(Locale.ROOT).replace('-', '_');
            for (Object c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(key)) {
                    return c;
                }
            }
            return ctxt.handleWeirdStringValue(type, text, "expected one of " + labels(type));
        }
    }

    static String labels(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> label((Enum<?>) c)).collect(Collectors.joining(", "));
    }
}
