package city.heze.peony.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {
    private static final String TOPIC = "raw.mz.social-assistance";

    @TempDir
    Path dataDir;

    @Test
    void servesTheSameRecordsAfterARestartOnTheSameDataDirectory() throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            written.add("低保对象-" + i);
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start()) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                for (int i = 0; i < written.size(); i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "id-" + i, written.get(i)))
                            .get();
                }
            }
            assertThat(readAll(broker, written.size())).containsExactlyInAnyOrderElementsOf(written);
        }

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.create(dataDir, 0).start()) {
            assertThat(readAll(again, written.size())).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void refusesAPortInUseWithAMessageNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.create(dataDir, port).start())
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("Port " + port + " is already in use");
        }
    }

    @Test
    void refusesAnotherClustersDataDirectory() throws IOException {
        Path logDir = Files.createDirectories(dataDir.resolve("kafka"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=7\ncluster.id=abc\n");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.create(dataDir, 0).start())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(logDir.toString())
                .hasMessageContaining("another cluster's data");
    }

    @Test
    void refusesADataDirectoryThatIsAFile() throws IOException {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.create(file, 0).start())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(file.toString());
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
    }

    private static List<String> readAll(EmbeddedKafkaBroker broker, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            Set<TopicPartition> partitions = Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
