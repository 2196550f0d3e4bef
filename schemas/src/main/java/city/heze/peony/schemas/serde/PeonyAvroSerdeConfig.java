package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde settings, under Confluent's names so that one {@code Properties} configures Peony's
 * serdes and Confluent's alike. The registry client's own settings (basic auth, retries) are read
 * by {@link SchemaRegistryClients}.
 */
public record PeonyAvroSerdeConfig(
        boolean autoRegister,
        boolean useLatestVersion,
        boolean specificReader,
        boolean logicalTypeConverters,
        SubjectNameStrategy subjectNameStrategy) {
    public static final String SCHEMA_REGISTRY_URL_CONFIG = SchemaRegistryClients.URL_CONFIG;
    /** Register a record's schema on first use (default true); false: it must already be registered. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Write with the subject's latest schema id instead of registering (default false). */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** Read into generated SpecificRecord classes instead of GenericRecord (default false). */
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";

    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** GenericRecords hold logical-type values (LocalDate, Instant, BigDecimal) rather than raw ones (default false). */
    public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";

    private static final String CONFLUENT_STRATEGY_PACKAGE = "io.confluent.kafka.serializers.subject.";
    private static final String PEONY_STRATEGY_PACKAGE = PeonyAvroSerdeConfig.class.getPackageName() + ".";

    /** @throws ConfigException naming the key and the value for a value that does not fit */
    public static PeonyAvroSerdeConfig of(Map<String, ?> configs, boolean isKey) {
        String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        return new PeonyAvroSerdeConfig(
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER_CONFIG, false),
                bool(configs, AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, false),
                strategy(strategyKey, configs.get(strategyKey)));
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    /**
     * A strategy given as an instance, a class, or a class name: Peony's or Confluent's names of the
     * three standard strategies (Confluent's jars need not be present), or any class implementing
     * {@link SubjectNameStrategy}.
     */
    static SubjectNameStrategy strategy(String key, Object value) {
        if (value == null) {
            return new TopicNameStrategy();
        }
        if (value instanceof SubjectNameStrategy strategy) {
            return strategy;
        }
        String name = value instanceof Class<?> type
                ? type.getName()
                : value.toString().trim();
        String simpleName = name;
        if (name.startsWith(CONFLUENT_STRATEGY_PACKAGE)) {
            simpleName = name.substring(CONFLUENT_STRATEGY_PACKAGE.length());
        } else if (name.startsWith(PEONY_STRATEGY_PACKAGE)) {
            simpleName = name.substring(PEONY_STRATEGY_PACKAGE.length());
        }
        switch (simpleName) {
            case "TopicNameStrategy":
                return new TopicNameStrategy();
            case "RecordNameStrategy":
                return new RecordNameStrategy();
            case "TopicRecordNameStrategy":
                return new TopicRecordNameStrategy();
            default:
                return customStrategy(key, name);
        }
    }

    private static SubjectNameStrategy customStrategy(String key, String className) {
        String expected = "expected TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy (Peony's or"
                + " Confluent's class name) or a class implementing " + SubjectNameStrategy.class.getName();
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(
                    className, true, loader != null ? loader : PeonyAvroSerdeConfig.class.getClassLoader());
            if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
                throw new ConfigException(key, className, expected);
            }
            return (SubjectNameStrategy) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, className, "no such class; " + expected);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(key, className, "cannot create it: " + cause);
        }
    }
}
