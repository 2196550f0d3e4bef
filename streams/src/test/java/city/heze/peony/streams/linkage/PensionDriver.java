package city.heze.peony.streams.linkage;

import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.MedicalSettlement;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.topology.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The pension certification on a {@link TopologyFixture}: department records are written as
 * validation passes them on, Confluent Avro of the catalog's schema registered under {@code
 * raw.<catalog>-value}, onto {@code shared.<catalog>} keyed by record id. One per test.
 */
final class PensionDriver extends TopologyFixture {
    static final String PENSIONS = "rs.pension-recipients";
    static final String DEATHS = "wj.death-registration";
    static final String SETTLEMENTS = "yb.medical-settlement";

    final LinkageContext context;
    final CertificationMeters meters;
    final TestOutputTopic<String, PensionCertification> certifications;
    final TestOutputTopic<String, CertificationRun> runs;
    private final PeonyAvroSerializer recordSerializer;
    private final Map<String, TestInputTopic<byte[], byte[]>> shared = new LinkedHashMap<>();
    /** Everything read so far, latest per key (a tombstone removes the key), as compaction keeps it. */
    private final Map<String, PensionCertification> certificationTable = new LinkedHashMap<>();

    private final Map<String, CertificationRun> runTable = new LinkedHashMap<>();

    PensionDriver(Path stateDir, Instant wallClock, LinkageSettings settings) {
        super(newRegistryName("pension-test"));
        recordSerializer = new PeonyAvroSerializer(schemaRegistry, Map.of("schema.registry.url", registryUrl), false);
        Properties client = clientProperties(null);
        Properties config = PeonyStreamsConfig.of(client, "pension-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        context = LinkageContext.of(settings, client, meterRegistry);
        meters = new CertificationMeters(meterRegistry);
        start(PensionCertificationTopology.build(context, config, meters), config, wallClock);
        for (String catalog : PensionCertificationTopology.INPUT_CATALOGS) {
            shared.put(
                    catalog,
                    driver().createInputTopic(
                                    Topics.shared(catalog), new ByteArraySerializer(), new ByteArraySerializer()));
        }
        certifications = output(topics.pensionCertification);
        runs = output(topics.certificationRuns);
    }

    /** The bytes validation would pass on for {@code record} of {@code catalog}. */
    byte[] wire(String catalog, SpecificRecord record) {
        return recordSerializer.serialize(Topics.raw(catalog), record);
    }

    void pipe(String catalog, String key, byte[] value, Instant timestamp) {
        shared.get(catalog).pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, timestamp);
    }

    void pension(PensionRecipient p, Instant timestamp) {
        pipe(PENSIONS, p.getRecordId(), wire(PENSIONS, p), timestamp);
    }

    void pension(PensionRecipient p) {
        pension(p, p.getUpdatedAt());
    }

    void death(DeathRegistration d, Instant timestamp) {
        pipe(DEATHS, d.getRecordId(), wire(DEATHS, d), timestamp);
    }

    void death(DeathRegistration d) {
        death(d, d.getRegisteredAt());
    }

    void settlement(MedicalSettlement s, Instant timestamp) {
        pipe(SETTLEMENTS, s.getRecordId(), wire(SETTLEMENTS, s), timestamp);
    }

    void settlement(MedicalSettlement s) {
        settlement(s, s.getSettledAt());
    }

    /** The certifications written since the last read, keyed records in order (tombstones included). */
    java.util.List<TestRecord<String, PensionCertification>> drainCertifications() {
        java.util.List<TestRecord<String, PensionCertification>> read = certifications.readRecordsToList();
        read.forEach(r -> {
            if (r.value() == null) {
                certificationTable.remove(r.key());
            } else {
                certificationTable.put(r.key(), r.value());
            }
        });
        return read;
    }

    java.util.List<TestRecord<String, CertificationRun>> drainRuns() {
        java.util.List<TestRecord<String, CertificationRun>> read = runs.readRecordsToList();
        read.forEach(r -> {
            if (r.value() == null) {
                runTable.remove(r.key());
            } else {
                runTable.put(r.key(), r.value());
            }
        });
        return read;
    }

    /** The latest certification per resident after everything written so far, as compaction keeps it. */
    Map<String, PensionCertification> certificationTable() {
        drainCertifications();
        return Map.copyOf(certificationTable);
    }

    Map<String, CertificationRun> runTable() {
        drainRuns();
        return Map.copyOf(runTable);
    }

    double skipped(String catalog, String reason) {
        return counter(
                CertificationMeters.SKIPPED,
                "scenario",
                PensionCertificationTopology.NAME,
                "catalog",
                catalog,
                "reason",
                reason);
    }

    double inputs(String catalog) {
        return counter(CertificationMeters.INPUTS, "scenario", PensionCertificationTopology.NAME, "catalog", catalog);
    }

    double statusGauge(String status) {
        return gauge(CertificationMeters.CERTIFICATION, "status", status);
    }

    @Override
    protected void closeContext() {
        meters.close();
        context.close();
    }
}
