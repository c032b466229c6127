package dev.airlock.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.pii.PiiDetector;
import dev.airlock.registry.PromptTemplate;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How configuration values are read: durations in {@link Durations}' syntax, dates as {@code 2026-12-31}, roles, and
 * enums by their lower-case ids ({@code on-premises}, {@code ip_address}). A value that does not read is reported with
 * the value and what was expected.
 */
final class ConfigModule extends SimpleModule {
    /** Enums that were always read ignoring case. */
    private static final Set<Class<?>> ANY_CASE =
            Set.of(RequestKind.class, PiiDetector.Type.class, PromptTemplate.Variable.Type.class);

    ConfigModule() {
        super("airlock-config");
        addDeserializer(Duration.class, new Scalar<>(Duration.class, Durations::parse));
        addDeserializer(LocalDate.class, new Scalar<>(LocalDate.class, ConfigModule::date));
        addDeserializer(Role.class, new Scalar<>(Role.class, Role::parse));
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(
                    DeserializationConfig config, JavaType type, BeanDescription desc, JsonDeserializer<?> original) {
                return type.getRawClass() == Role.class ? original : enumById(type.getRawClass());
            }
        });
    }

    /** The id an enum constant is written as: its {@code id()} where it has one, else its name in lower case. */
    static String id(Enum<?> constant) {
        try {
            Method id = constant.getDeclaringClass().getMethod("id");
            return String.valueOf(id.invoke(constant));
        } catch (ReflectiveOperationException e) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The ids of an enum's constants, for messages: {@code chat, embedding, predict}. */
    static String ids(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> id((Enum<?>) c)).collect(Collectors.joining(", "));
    }

    private static <E> JsonDeserializer<E> enumById(Class<E> type) {
        boolean anyCase = ANY_CASE.contains(type);
        return new Scalar<>(type, text -> {
            for (E constant : type.getEnumConstants()) {
                String id = id((Enum<?>) constant);
                if (anyCase ? id.equalsIgnoreCase(text) : id.equals(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + ids(type));
        });
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date like 2026-12-31");
        }
    }

    /** A value read from a scalar; the reader's message, when it refuses one, is the error's. */
    static final class BadValue extends InvalidFormatException {
        BadValue(JsonParser p, String message, Object value, Class<?> type) {
            super(p, message, value, type);
        }
    }

    @SuppressWarnings("unchecked")
    private static final class Scalar<T> extends StdScalarDeserializer<T> {
        private final transient Function<String, T> reader;

        Scalar(Class<T> type, Function<String, T> reader) {
            super(type);
            this.reader = reader;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p);
            }
            String text = p.getValueAsString();
            try {
                return reader.apply(text);
            } catch (IllegalArgumentException e) {
                throw new BadValue(p, String.valueOf(e.getMessage()), text, handledType());
            }
        }
    }
}
