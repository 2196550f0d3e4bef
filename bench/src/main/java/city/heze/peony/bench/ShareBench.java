package city.heze.peony.bench;

import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.share.ShareSlaApp;
import city.heze.peony.streams.share.ShareSlaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * share: Peony's {@link ShareSlaApp} on a matching stream of share applications, one request and
 * one decision each (nine in ten approved, the rest refused with a reason, answered minutes after
 * submission, well before the deadline), written to {@code peony.share.requests} and {@code
 * peony.share.decisions} before the application starts. Its consumer group starts where this
 * run's events begin. The throughput counts input events (requests plus decisions); the
 * measurement ends when every application's outcome is on {@code peony.share.outcomes}.
 */
final class ShareBench {
    private static final String[] REQUESTERS = {"mz", "rs", "yb", "sw", "ga", "wj", "zj"};

    private ShareBench() {}

    /**
     * Runs {@code applications} applications (twice as many events) against {@code catalogId}, a
     * registered catalog of department {@code provider}.
     */
    static StreamsStopwatch.Timing run(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            String catalogId,
            String provider,
            int applications,
            String idPrefix,
            Path stateDir) {
        List<String> inputs = List.of(Topics.SHARE_REQUESTS.name(), Topics.SHARE_DECISIONS.name());
        Map<TopicPartition, Long> start = cluster.endOffsets(inputs, IsolationLevel.READ_UNCOMMITTED);
        fill(cluster, catalogId, provider, applications, idPrefix);
        cluster.commitGroupOffsets(applicationId, start);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        return StreamsStopwatch.time(
                cluster,
                applicationId,
                List.of(Topics.SHARE_OUTCOMES.name()),
                transactional,
                2L * applications,
                inputs.size(),
                applications,
                () -> {
                    Properties client = cluster.clientProperties();
                    FirstPollProbe.install(client);
                    ShareSlaApp app = ShareSlaApp.start(
                            client,
                            applicationId,
                            guarantee,
                            stateDir.resolve(applicationId),
                            ShareSlaSettings.defaults(),
                            new SimpleMeterRegistry());
                    return StreamsStopwatch.RunningApp.of(
                            "the share application", app::state, app::close, app.streams());
                });
    }

    /** Writes the requests, then the decisions, with Peony's serdes; not timed. */
    private static void fill(
            BenchCluster cluster, String catalogId, String provider, int applications, String idPrefix) {
        PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
        Random random = new Random(applications);
        long now = System.currentTimeMillis();
        Properties props = ProducerBaseline.publisherLikeProperties(cluster);
        try (Serializer<ShareRequest> requests = serdes.shareRequest().serializer();
                Serializer<ShareDecision> decisions = serdes.shareDecision().serializer();
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long[] submitted = new long[applications];
            for (int i = 0; i < applications; i++) {
                String id = idPrefix + i;
                submitted[i] = now - Duration.ofHours(2).toMillis() + random.nextInt(3_600_000);
                ShareRequest request = ShareRequest.newBuilder()
                        .setApplicationId(id)
                        .setCatalogId(catalogId)
                        .setProviderDepartment(provider)
                        .setRequestingDepartment(REQUESTERS[random.nextInt(REQUESTERS.length)])
                        .setPurpose("用于社会救助家庭经济状况核对")
                        .setSubmittedAt(Instant.ofEpochMilli(submitted[i]))
                        .build();
                String topic = Topics.SHARE_REQUESTS.name();
                producer.send(new ProducerRecord<>(topic, key(id), requests.serialize(topic, request)));
            }
            for (int i = 0; i < applications; i++) {
                String id = idPrefix + i;
                boolean refused = random.nextInt(10) == 0;
                ShareDecision decision = ShareDecision.newBuilder()
                        .setApplicationId(id)
                        .setDecision(refused ? ShareDecisionKind.REFUSED : ShareDecisionKind.APPROVED)
                        .setReason(refused ? "申请用途与共享条件不符" : null)
                        .setDecidedAt(Instant.ofEpochMilli(submitted[i] + random.nextInt(3_600_000)))
                        .setDecidedBy(provider)
                        .build();
                String topic = Topics.SHARE_DECISIONS.name();
                producer.send(new ProducerRecord<>(topic, key(id), decisions.serialize(topic, decision)));
            }
            producer.flush();
        }
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
