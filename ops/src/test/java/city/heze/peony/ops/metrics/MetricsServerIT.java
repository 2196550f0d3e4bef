package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.streams.PeonyStreamsConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetricsServer} with real Kafka clients and a real Kafka Streams application on an
 * embedded broker: the binders' meters appear in a scrape under the names the alert rules and
 * dashboards use, and {@code /-/healthy} follows the streams state.
 */
class MetricsServerIT {
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir.resolve("broker"), 0).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic("metrics.in", 1, (short) 1), new NewTopic("metrics.out", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @SuppressWarnings("try") // closes the server inside its try to look at the threads afterwards
    void bindsStreamsAndClientsAndReportsReadinessFromTheStreamsState() throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        "metrics.in",
                        Consumed.with(Serdes.String(), Serdes.String()).withName("read-in"))
                .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT), Named.as("upper-case"))
                .to(
                        "metrics.out",
                        Produced.with(Serdes.String(), Serdes.String()).withName("write-out"));
        Properties streamsProps = PeonyStreamsConfig.of(
                client, "peony-metrics-it", StreamsConfig.AT_LEAST_ONCE, dataDir.resolve("state"));

        try (MetricsServer metrics = MetricsServer.start(0);
                KafkaStreams streams = new KafkaStreams(builder.build(), streamsProps);
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(client, new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "metrics-it"),
                        new StringDeserializer(),
                        new StringDeserializer());
                Admin admin = Admin.create(client)) {
            metrics.bindKafkaStreams(streams);
            metrics.bindClient(producer);
            metrics.bindClient(consumer);
            metrics.bindClient(admin);
            metrics.addHealthCheck("streams", HealthChecks.streamsRunning(streams));
            metrics.addHealthCheck("broker", HealthChecks.brokerReachable(admin, Duration.ofSeconds(5)));

            HttpResponse<String> before = MetricsServerTest.get(metrics.healthUrl());
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).isEqualTo("not ready: streams\n");
            assertThat(metrics.scrape())
                    .contains("peony_streams_running{application=\"peony-metrics-it\"} 0.0")
                    .contains("peony_streams_state{application=\"peony-metrics-it\",state=\"CREATED\"} 1.0");

            streams.start();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("metrics.in", "k" + i, "v" + i));
            }
            producer.flush();
            consumer.subscribe(List.of("metrics.out"));

            String scrape = awaitScrape(
                    metrics,
                    s -> s.contains("peony_streams_running{application=\"peony-metrics-it\"} 1.0")
                            && s.contains("kafka_consumer_fetch_manager_records_lag_max{")
                            && s.contains("kafka_stream_thread_process_total{"),
                    consumer);

            assertThat(scrape)
                    .contains("peony_streams_state{application=\"peony-metrics-it\",state=\"RUNNING\"} 1.0")
                    .contains("peony_streams_state{application=\"peony-metrics-it\",state=\"REBALANCING\"} 0.0")
                    .contains("kafka_stream_alive_stream_threads{")
                    // the lag alert groups by client_id: every consumer's lag carries it
                    .containsPattern(
                            "kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"[^\"]*StreamThread-1-consumer\"")
                    .contains("kafka_producer_record_send_total{")
                    .contains("kafka_admin_client_")
                    .contains("jvm_memory_used_bytes{");
            assertThat(MetricsServerTest.get(metrics.healthUrl()).statusCode()).isEqualTo(200);

            streams.close(Duration.ofSeconds(30));
            HttpResponse<String> after = MetricsServerTest.get(metrics.healthUrl());
            assertThat(after.statusCode()).isEqualTo(503);
            assertThat(after.body()).isEqualTo("not ready: streams\n");
            assertThat(metrics.scrape()).contains("peony_streams_running{application=\"peony-metrics-it\"} 0.0");

            assertThat(Thread.getAllStackTraces().keySet())
                    .anyMatch(t -> t.isAlive() && t.getName().startsWith("micrometer-kafka-metrics"));
            metrics.close();
            assertThat(Thread.getAllStackTraces().keySet())
                    .as("the binders' refresh threads stop with the server")
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("micrometer-kafka-metrics"));
        }
    }

    /** Scrapes over HTTP until {@code done} holds, polling the consumer so that it has partitions. */
    private static String awaitScrape(
            MetricsServer metrics, Predicate<String> done, KafkaConsumer<String, String> consumer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
            last = MetricsServerTest.get(metrics.url()).body();
            if (done.test(last)) {
                return last;
            }
        }
        throw new AssertionError("the scrape did not get there within " + WAIT + "; last scrape:\n" + last);
    }
}
