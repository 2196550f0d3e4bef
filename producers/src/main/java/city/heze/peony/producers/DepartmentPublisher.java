package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.PeonyAvroSerdeConfig;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a department system embeds to publish the records of its catalogs to {@code raw.<catalog>}:
 * an idempotent producer with {@code acks=all}, keyed by each record's id (the catalog's {@code
 * keyField}, default {@code recordId}), its {@code client.id} naming the department
 * ({@code peony-publisher-mz}), writing Confluent-framed Avro with the schema id registered for the
 * catalog.
 *
 * <p><b>A department cannot change a catalog's schema by publishing.</b> The serializer runs with
 * {@code auto.register.schemas=false} and {@code use.latest.version=true}, and every record is
 * checked before it is sent: its schema must equal the registry's latest {@code raw.<id>-value}
 * schema by Avro's {@link Schema#equals} (full names, fields in order, types, logical types,
 * defaults, enum symbols; documentation is ignored). Why equality and not "resolvable" or the
 * fingerprint: the bytes go out with the registered schema's id, and Avro binary has no field tags,
 * so only a structurally identical writer schema yields bytes that consumers decode correctly
 * without re-encoding each record; and equality is exactly what {@code use.latest.version} demands,
 * so a record the check lets through is never refused later by the serializer inside the producer.
 * The check costs nothing per record: the catalog's schema instance ({@link #schema(String)}), a
 * generated class's {@code SCHEMA$}, and the last equal instance are compared by identity. A
 * mismatch throws {@link ForeignSchemaException} from {@link #send}, before anything is sent.
 *
 * <p>Records are SpecificRecords of Peony's generated classes (which carry their own logical-type
 * conversions: {@code LocalDate}, {@code Instant}, {@code BigDecimal}) or GenericRecords holding
 * Avro's own representation (days for {@code date}, milliseconds for {@code timestamp-millis},
 * two's-complement bytes for {@code decimal}), as Confluent's serializer expects by default and as
 * {@code RecordConverter} and {@code RecordGenerator} build them; {@code
 * avro.use.logical.type.converters=true} in the client properties accepts converted values in
 * GenericRecords too, at a cost per field.
 *
 * <p>Sends are asynchronous: each returns a future completed when the broker acknowledges the record
 * (or the send fails). {@link #flush()} and {@link #close()} wait for every outstanding
 * acknowledgement. With a {@code transactionalId} the publisher is transactional ({@code peony
 * publish --all-or-nothing}): {@link #beginTransaction()}, {@link #commitTransaction()}, {@link
 * #abortTransaction()}.
 *
 * <p>Meter: {@code peony.publish.records} with labels {@code department}, {@code catalog} and {@code
 * outcome} ({@code acknowledged}, {@code failed}, {@code refused}).
 */
public final class DepartmentPublisher implements AutoCloseable {
    /** The counter of published records, by department, catalog and outcome. */
    public static final String PUBLISHED_METER = "peony.publish.records";

    /**
     * Batching chosen for throughput on the measured machine (see {@code PublishThroughputComparison}
     * in the tests); any of these may be overridden in the client properties. {@code acks=all} and
     * idempotence may not.
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, "10",
            ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    /** A file published in one transaction may take long; the broker's default ceiling is 15 minutes. */
    static final String TRANSACTION_TIMEOUT_MS = Integer.toString(15 * 60 * 1000);

    private final String department;
    private final Map<String, CatalogChannel> channels;
    private final CatalogChannel only;
    private final KafkaProducer<String, Object> producer;
    private final SchemaRegistryClient registry;
    private final boolean transactional;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private DepartmentPublisher(
            String department,
            Map<String, CatalogChannel> channels,
            KafkaProducer<String, Object> producer,
            SchemaRegistryClient registry,
            boolean transactional) {
        this.department = department;
        this.channels = channels;
        this.only = channels.size() == 1 ? channels.values().iterator().next() : null;
        this.producer = producer;
        this.registry = registry;
        this.transactional = transactional;
    }

    /** Starts a publisher from client properties: {@code bootstrap.servers}, {@code schema.registry.url}, security. */
    public static Builder builder(Properties clientProperties) {
        return new Builder(clientProperties);
    }

    /** The department code, e.g. {@code mz}. */
    public String department() {
        return department;
    }

    /** The ids of the catalogs this publisher publishes, in the order they were given. */
    public Set<String> catalogIds() {
        return channels.keySet();
    }

    /** The catalog's registered schema: build records with this instance and the schema check is free. */
    public Schema schema(String catalogId) {
        return channel(catalogId).schema;
    }

    /** The schema of the one catalog this publisher publishes. */
    public Schema schema() {
        return onlyChannel().schema;
    }

    /** The registry's version of the catalog's schema (subject, version, id). */
    public RegisteredSchema registeredSchema(String catalogId) {
        return channel(catalogId).registered;
    }

    /** The topic the catalog's records go to, {@code raw.<id>}. */
    public String topic(String catalogId) {
        return channel(catalogId).topic;
    }

    public boolean transactional() {
        return transactional;
    }

    /**
     * Sends a record of the one catalog this publisher publishes.
     *
     * @throws IllegalStateException if it publishes several catalogs: say which with {@link #send(String, IndexedRecord)}
     */
    public CompletableFuture<RecordMetadata> send(IndexedRecord record) {
        return send(onlyChannel(), record);
    }

    /**
     * Sends a record of a catalog, keyed by its key field; the future completes when the broker
     * acknowledges it, or exceptionally when the send fails.
     *
     * @throws ForeignSchemaException if the record's schema is not the catalog's; nothing is sent
     * @throws IllegalArgumentException if the record's key field is null, or the catalog is not this
     *     publisher's; nothing is sent
     */
    public CompletableFuture<RecordMetadata> send(String catalogId, IndexedRecord record) {
        return send(channel(catalogId), record);
    }

    private CompletableFuture<RecordMetadata> send(CatalogChannel channel, IndexedRecord record) {
        channel.check(record.getSchema());
        Object key = record.get(channel.keyPosition);
        if (key == null) {
            channel.refused.increment();
            throw new IllegalArgumentException("catalog '" + channel.id + "': the record's key field '"
                    + channel.keyField + "' is null; expected the record's id");
        }
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(channel.topic, key.toString(), record), (metadata, error) -> {
                if (error == null) {
                    acknowledged.increment();
                    channel.acknowledged.increment();
                    future.complete(metadata);
                } else {
                    failed.increment();
                    channel.failed.increment();
                    future.completeExceptionally(error);
                }
            });
        } catch (KafkaException e) {
            // Serialization or a producer in a failed state: the record is not sent; say so through its future.
            failed.increment();
            channel.failed.increment();
            future.completeExceptionally(e);
        }
        return future;
    }

    /** Waits until every record sent so far is acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    /** Records acknowledged by the broker since the publisher started. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Records whose send failed since the publisher started. */
    public long failed() {
        return failed.sum();
    }

    public void beginTransaction() {
        requireTransactional("beginTransaction");
        producer.beginTransaction();
    }

    /**
     * Commits the open transaction after every record in it is acknowledged.
     *
     * @throws KafkaException if a record of the transaction failed or the commit did; then abort
     */
    public void commitTransaction() {
        requireTransactional("commitTransaction");
        producer.commitTransaction();
    }

    /** Aborts the open transaction: no {@code read_committed} consumer ever sees its records. */
    public void abortTransaction() {
        requireTransactional("abortTransaction");
        producer.abortTransaction();
    }

    private void requireTransactional(String call) {
        if (!transactional) {
            throw new IllegalStateException(
                    call + " needs a transactional publisher: build it with transactionalId(...)");
        }
    }

    /** Waits for every outstanding acknowledgement, then closes the producer and the registry client. */
    @Override
    public void close() {
        try {
            producer.close();
        } finally {
            registry.close();
        }
    }

    /** Closes, waiting at most {@code timeout} for outstanding acknowledgements. */
    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } finally {
            registry.close();
        }
    }

    private CatalogChannel channel(String catalogId) {
        CatalogChannel channel = channels.get(catalogId);
        if (channel == null) {
            throw new IllegalArgumentException("catalog '" + catalogId + "' is not published by this publisher of "
                    + department + "; expected one of " + String.join(", ", channels.keySet()));
        }
        return channel;
    }

    private CatalogChannel onlyChannel() {
        if (only == null) {
            throw new IllegalStateException(
                    "this publisher of " + department + " publishes " + channels.size() + " catalogs ("
                            + String.join(", ", channels.keySet()) + "); say which with send(catalogId, record)");
        }
        return only;
    }

    /** One catalog's topic, schema, key and meters, resolved when the publisher is built. */
    private static final class CatalogChannel {
        final String id;
        final String topic;
        final Schema schema;
        final RegisteredSchema registered;
        final String keyField;
        final int keyPosition;
        final Counter acknowledged;
        final Counter failed;
        final Counter refused;
        /** The last schema instance found equal to {@link #schema}; a benign race only repeats the comparison. */
        volatile Schema lastEqual;

        CatalogChannel(CatalogEntry entry, RegisteredSchema registered, Schema schema, MeterRegistry meters) {
            this.id = entry.getId();
            this.topic = Topics.raw(id);
            this.registered = registered;
            this.schema = schema;
            this.keyField = CatalogKeys.keyField(entry);
            Schema.Field key = schema.getField(keyField);
            if (key == null) {
                throw new PublisherSetupException("catalog '" + id + "': key field '" + keyField + "' is not in schema "
                        + schema.getFullName() + " (" + registered.subject() + " version " + registered.version()
                        + "); expected the catalog's keyField to name one of its fields");
            }
            this.keyPosition = key.pos();
            this.acknowledged = counter(meters, "acknowledged", entry);
            this.failed = counter(meters, "failed", entry);
            this.refused = counter(meters, "refused", entry);
        }

        /** One meter name with an outcome label, so a dashboard can stack the outcomes. */
        private static Counter counter(MeterRegistry meters, String outcome, CatalogEntry entry) {
            return Counter.builder(PUBLISHED_METER)
                    .description("Records a department published: acknowledged by the broker, failed to send, or"
                            + " refused before sending (schema, key)")
                    .tag("department", entry.getDepartment())
                    .tag("catalog", entry.getId())
                    .tag("outcome", outcome)
                    .register(meters);
        }

        void check(Schema actual) {
            if (actual == schema || actual == lastEqual) {
                return;
            }
            if (actual.equals(schema)) {
                lastEqual = actual;
                return;
            }
            refused.increment();
            throw new ForeignSchemaException(id, refusal(actual));
        }

        private String refusal(Schema actual) {
            String expected = "catalog '" + id + "' takes records of schema " + schema.getFullName() + " (subject "
                    + registered.subject() + ", version " + registered.version() + ", id " + registered.id() + ")";
            if (!actual.getFullName().equals(schema.getFullName())) {
                return expected + "; refused a record of schema " + actual.getFullName() + " before sending it";
            }
            return expected + "; refused a record of schema " + actual.getFullName()
                    + ", which has the catalog's name but another definition (" + difference(actual)
                    + "), before sending it; build records with DepartmentPublisher.schema(catalogId) or register the"
                    + " new version with the catalog first";
        }

        private String difference(Schema actual) {
            if (actual.getType() != Schema.Type.RECORD) {
                return "it is a " + actual.getType().getName();
            }
            for (Schema.Field field : schema.getFields()) {
                Schema.Field other = actual.getField(field.name());
                if (other == null) {
                    return "it lacks field '" + field.name() + "'";
                }
                if (!other.schema().equals(field.schema())) {
                    return "field '" + field.name() + "' is " + other.schema() + " instead of " + field.schema();
                }
            }
            for (Schema.Field other : actual.getFields()) {
                if (schema.getField(other.name()) == null) {
                    return "it has field '" + other.name() + "', which the catalog's schema lacks";
                }
            }
            return "the fields' order, defaults or properties differ";
        }
    }

    /** Builds a {@link DepartmentPublisher}; see {@link DepartmentPublisher#builder}. */
    public static final class Builder {
        private final Properties clientProperties;
        private final List<CatalogEntry> entries = new ArrayList<>();
        private final List<String> catalogIds = new ArrayList<>();
        private String transactionalId;
        private String clientId;
        private MeterRegistry meters;

        private Builder(Properties clientProperties) {
            this.clientProperties = clientProperties;
        }

        /** A catalog to publish; all catalogs of one publisher belong to one department. */
        public Builder catalog(CatalogEntry entry) {
            entries.add(entry);
            return this;
        }

        public Builder catalogs(Collection<CatalogEntry> catalogs) {
            entries.addAll(catalogs);
            return this;
        }

        /** A catalog to publish, looked up by id on {@code peony.catalog} when the publisher is built. */
        public Builder catalogId(String catalogId) {
            catalogIds.add(Topics.requireCatalogId(catalogId));
            return this;
        }

        /** Makes the publisher transactional with this {@code transactional.id}. */
        public Builder transactionalId(String transactionalId) {
            this.transactionalId = transactionalId;
            return this;
        }

        /** Overrides the {@code client.id}, by default {@code peony-publisher-<department>}. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /**
         * Looks the catalogs' schemas up in the registry, creates the producer and, when transactional,
         * initialises its transactions.
         *
         * @throws PublisherSetupException naming the catalog and what is missing: an unknown catalog, no
         *     schema registered for it, catalogs of several departments, an unreachable registry
         */
        public DepartmentPublisher build() {
            List<CatalogEntry> all = new ArrayList<>(entries);
            if (!catalogIds.isEmpty()) {
                Map<String, CatalogEntry> known = new CatalogTopic(clientProperties).readAll();
                for (String id : catalogIds) {
                    CatalogEntry entry = known.get(id);
                    if (entry == null) {
                        throw new PublisherSetupException("no catalog '" + id + "' on " + Topics.CATALOG.name()
                                + "; known: " + String.join(", ", known.keySet()));
                    }
                    all.add(entry);
                }
            }
            if (all.isEmpty()) {
                throw new PublisherSetupException("a publisher needs at least one catalog; none was given");
            }
            String department = all.get(0).getDepartment();
            for (CatalogEntry entry : all) {
                if (!entry.getDepartment().equals(department)) {
                    throw new PublisherSetupException("catalog '" + entry.getId() + "' belongs to department "
                            + entry.getDepartment() + ", not " + department
                            + "; expected one publisher per department");
                }
            }
            MeterRegistry registryOfMeters = meters != null ? meters : new SimpleMeterRegistry();
            Map<String, Object> configs = ClientConfigs.toMap(clientProperties);
            SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(configs);
            KafkaProducer<String, Object> producer = null;
            try {
                Map<String, CatalogChannel> channels = new LinkedHashMap<>();
                for (CatalogEntry entry : all) {
                    if (channels.containsKey(entry.getId())) {
                        continue;
                    }
                    RegisteredSchema registered = latest(registry, entry.getId());
                    Schema schema = registered.avroSchema();
                    channels.put(entry.getId(), new CatalogChannel(entry, registered, schema, registryOfMeters));
                }
                Map<String, Object> serdeConfigs = new HashMap<>(configs);
                serdeConfigs.put(PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
                serdeConfigs.put(PeonyAvroSerdeConfig.USE_LATEST_VERSION, true);
                PeonyAvroSerializer serializer = new PeonyAvroSerializer(registry, serdeConfigs, false);
                producer = new KafkaProducer<>(producerProperties(department), new StringSerializer(), serializer);
                if (transactionalId != null) {
                    producer.initTransactions();
                }
                return new DepartmentPublisher(department, channels, producer, registry, transactionalId != null);
            } catch (RuntimeException e) {
                if (producer != null) {
                    producer.close(Duration.ZERO);
                }
                registry.close();
                throw e;
            }
        }

        private Properties producerProperties(String department) {
            Properties props = new Properties();
            PRODUCER_DEFAULTS.forEach(props::setProperty);
            props.putAll(clientProperties);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId != null ? clientId : "peony-publisher-" + department);
            props.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
            props.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
            if (transactionalId != null) {
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
            } else {
                props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            }
            return props;
        }

        private static RegisteredSchema latest(SchemaRegistryClient registry, String catalogId) {
            String subject = Topics.rawValueSubject(catalogId);
            try {
                return registry.latest(subject);
            } catch (SchemaRegistryException e) {
                if (e.isAccessDenied()) {
                    throw new PublisherSetupException(
                            "catalog '" + catalogId + "': the schema registry at " + registry.location()
                                    + " refused access to subject " + subject + " (" + e.getMessage()
                                    + "); check basic.auth.user.info in the client config",
                            e);
                }
                throw new PublisherSetupException(
                        "catalog '" + catalogId + "': cannot find its schema under subject " + subject
                                + " in the schema registry at " + registry.location() + " (" + e.getMessage()
                                + "); expected the catalog to be registered first (peony catalog register)",
                        e);
            }
        }
    }
}
