package city.heze.peony.schemas.interop;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.DepartmentRecords;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.AvroWireFormat;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerdeConfig;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.testkit.RequiresCommands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients nobody on Peony wrote, npm's {@code kafkajs} and {@code @kafkajs/confluent-schema-registry},
 * against Peony's embedded broker and registry: Node registers a schema and produces a record that
 * Peony's Java deserializer reads, and decodes a record Peony's Java serializer wrote.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH; installs {@code src/test/js} with {@code npm
 * ci} (from the committed lock file) when its {@code node_modules} is missing.
 */
@RequiresCommands(
        value = {"node", "npm"},
        install = "apt-get install nodejs npm")
class NodeClientsInteropIT {
    private static final String FROM_NODE = "interop.from-node";
    private static final String FROM_JAVA = "interop.from-java";
    private static final String SHARED = "shared.interop.readme";
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);
    private static final Path SCRIPTS =
            Path.of(System.getProperty("basedir", ".")).resolve("src/test/js");

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, "_interop_schemas");
        // The broker does not create topics on first use.
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(FROM_NODE, 1, (short) 1),
                            new NewTopic(FROM_JAVA, 1, (short) 1),
                            new NewTopic(SHARED, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private record NodeRun(int exitCode, String stdout, String stderr) {}

    @Test
    void nodeAndJavaReadEachOthersRecords() throws Exception {
        SocialAssistanceRecipient written = DepartmentRecords.recipient(42);
        Map<String, Object> serdeConfig = Map.of(PeonyAvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new PeonyAvroSerializer(SchemaRegistryClients.forUrl(registry.url()), serdeConfig, false))) {
            producer.send(new ProducerRecord<>(FROM_JAVA, written.getRecordId(), written))
                    .get(30, TimeUnit.SECONDS);
        }
        SchemaRegistryClient client = SchemaRegistryClients.forUrl(registry.url());
        int javaSchemaId = client.latest(FROM_JAVA + "-value").id();

        NodeRun run = runNode(broker.bootstrapServers(), registry.url(), FROM_NODE, FROM_JAVA);

        assertThat(run.exitCode())
                .as("node exit code; stderr:%n%s", run.stderr())
                .isZero();
        JsonNode result = new ObjectMapper().readTree(resultLine(run));

        // Node decoded what Peony's serializer wrote.
        JsonNode consumed = result.get("consumed");
        assertThat(consumed.get("schemaId").asInt()).isEqualTo(javaSchemaId);
        assertThat(consumed.get("key").asText()).isEqualTo("MZ-2025-42");
        JsonNode value = consumed.get("value");
        assertThat(value.get("recordId").asText()).isEqualTo(written.getRecordId());
        assertThat(value.get("residentId").asText()).isEqualTo(written.getResidentId());
        assertThat(value.get("name").asText()).isEqualTo("张秀英");
        assertThat(value.get("sex").asText()).isEqualTo("FEMALE");
        assertThat(value.get("birthDate").asLong())
                .isEqualTo(written.getBirthDate().toEpochDay());
        assertThat(value.get("monthlyAmountFen").asLong()).isEqualTo(written.getMonthlyAmountFen());
        assertThat(value.get("phone").asText()).isEqualTo(written.getPhone());
        assertThat(value.get("updatedAt").asLong())
                .isEqualTo(written.getUpdatedAt().toEpochMilli());

        // Peony's deserializer reads what Node registered and produced.
        int nodeSchemaId = result.get("registeredId").asInt();
        assertThat(client.latest(FROM_NODE + "-value").id()).isEqualTo(nodeSchemaId);
        assertThat(client.subjectCompatibility(FROM_NODE + "-value")).contains(CompatibilityLevel.BACKWARD);
        ConsumerRecord<String, byte[]> fromNode = consumeOne(FROM_NODE);
        assertThat(AvroWireFormat.schemaIdOf(FROM_NODE, fromNode.value())).isEqualTo(nodeSchemaId);
        GenericRecord lamp = (GenericRecord)
                new PeonyAvroDeserializer(client, serdeConfig, false).deserialize(FROM_NODE, fromNode.value());
        JsonNode produced = result.get("produced");
        assertThat(fromNode.key()).isEqualTo(produced.get("lampId").asText());
        assertThat(lamp.getSchema().getFullName()).isEqualTo("city.heze.interop.StreetLamp");
        assertThat(lamp.get("lampId")).hasToString("HZ-MD-0001");
        assertThat(lamp.get("district")).hasToString("牡丹区");
        assertThat(lamp.get("watts")).isEqualTo(120);
        assertThat(lamp.get("online")).isEqualTo(true);
        assertThat(lamp.get("installedAt"))
                .isEqualTo(produced.get("installedAt").asLong());
    }

    /** The README's command line for analysts: read a shared topic decoded, one JSON object a line. */
    @Test
    void theReadmesNodeReaderPrintsSharedRecordsDecoded() throws Exception {
        List<SocialAssistanceRecipient> written =
                List.of(DepartmentRecords.recipient(1), DepartmentRecords.recipient(2), DepartmentRecords.recipient(3));
        Map<String, Object> serdeConfig = Map.of(PeonyAvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new PeonyAvroSerializer(SchemaRegistryClients.forUrl(registry.url()), serdeConfig, false))) {
            for (SocialAssistanceRecipient record : written) {
                producer.send(new ProducerRecord<>(SHARED, record.getRecordId(), record))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        NodeRun run = runNodeScript("read-topic.js", broker.bootstrapServers(), registry.url(), SHARED, "3");

        assertThat(run.exitCode())
                .as("node exit code; stderr:%n%s", run.stderr())
                .isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines)
                .as("stdout:%n%s%nstderr:%n%s", run.stdout(), run.stderr())
                .hasSize(3);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < written.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.get("key").asText()).isEqualTo(written.get(i).getRecordId());
            assertThat(line.get("value").get("residentId").asText())
                    .isEqualTo(written.get(i).getResidentId());
            assertThat(line.get("value").get("name").asText())
                    .isEqualTo(written.get(i).getName());
        }
    }

    private static ConsumerRecord<String, byte[]> consumeOne(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "interop-java-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // group join on a loaded machine
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record on " + topic + " within 90 s");
    }

    private static String resultLine(NodeRun run) {
        Optional<String> line = run.stdout()
                .lines()
                .filter(l -> l.startsWith("INTEROP-RESULT "))
                .findFirst();
        assertThat(line)
                .as("INTEROP-RESULT line in node's output:%n%s%nstderr:%n%s", run.stdout(), run.stderr())
                .isPresent();
        return line.get().substring("INTEROP-RESULT ".length());
    }

    private static NodeRun runNode(String... args) throws IOException, InterruptedException {
        return runNodeScript("interop.js", args);
    }

    private static NodeRun runNodeScript(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
            NodeRun install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
            assertThat(install.exitCode())
                    .as("npm ci in %s failed:%n%s%n%s", SCRIPTS, install.stdout(), install.stderr())
                    .isZero();
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(command, NODE_TIMEOUT);
    }

    /** Runs a command in the scripts folder, capturing its output in files (no pipe can fill up and block it). */
    private static NodeRun run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dataDir, "node-out", ".log");
        Path err = Files.createTempFile(dataDir, "node-err", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(SCRIPTS.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; stderr:\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new NodeRun(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
