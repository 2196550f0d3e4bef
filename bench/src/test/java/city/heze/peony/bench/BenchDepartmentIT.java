package city.heze.peony.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secured side of {@code peony bench --secure}: its department signs in with its own SCRAM
 * credential and is held to the ACLs of the access policy (it is no super user, whom the
 * authorizer would let through anywhere).
 */
class BenchDepartmentIT {
    static BenchCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BenchCluster.embeddedSecured(admin -> {
            try {
                admin.createTopics(Topics.SYSTEM_TOPICS.stream()
                                .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                                .toList())
                        .all()
                        .get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create Peony's topics: " + e, e);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theDepartmentWritesItsOwnRawTopicAndNoOtherDepartments() throws Exception {
        CatalogEntry own = cluster.registerCatalog(catalog("scjg"), "scjg.bench-own", 1);
        CatalogEntry other = cluster.registerCatalog(catalog("mz"), "mz.bench-other", 1);
        BenchDepartment department = BenchDepartment.create(cluster, "scjg");

        department.grant(List.of(own, other));

        Properties props = ClientConfigs.kafkaOnly(department.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>(Topics.raw(own.getId()), "k", "v"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.raw(other.getId()), "k", "v"))
                            .get(30, TimeUnit.SECONDS))
                    .as("writing another department's raw topic")
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static CatalogEntry catalog(String department) {
        return CatalogEntry.newBuilder()
                .setId(department + ".bench-template")
                .setResourceCode("RC-" + department)
                .setName("目录 " + department)
                .setDepartment(department)
                .setSchema$(
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"recordId\",\"type\":\"string\"}]}")
                .setShareType(ShareType.CONDITIONAL)
                .setOpenType(OpenType.NOT_OPEN)
                .setUpdateCycle(UpdateCycle.DAILY)
                .setFieldRules(List.of())
                .setPublishedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }
}
