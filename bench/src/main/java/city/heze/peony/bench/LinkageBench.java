package city.heze.peony.bench;

import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.EntityType;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.dept.PensionType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.avro.dept.VehicleRegistration;
import city.heze.peony.avro.dept.VehicleType;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.linkage.LinkageApp;
import city.heze.peony.streams.linkage.LinkageSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;

/**
 * linkage: Peony's social-assistance review ({@link LinkageApp}, {@code exactly_once_v2}) over a
 * population of residents written to the shared topics it reads once it is RUNNING (its stores
 * open): a fifth of them
 * social-assistance recipients, and facts about everyone (vehicles, businesses, pensions, deaths) so
 * that most input records join nothing and a known number of recipients is flagged.
 *
 * <p>Each resident has at most one fact, and no fact is ever cleared, so every flagged recipient's
 * flag set changes exactly once whatever order the topics are read in: the expected output count
 * is known, and marks the end. Its consumer group starts where this run's records begin. The
 * throughput counts input records; the state size is the application's state directory after the
 * run, per million residents.
 *
 * <p>Embedded broker only: the scenario reads the real {@code shared.*} topic names, which on a
 * city's cluster hold the departments' data.
 */
final class LinkageBench {
    private static final LinkageScenario SCENARIO = LinkageScenario.SOCIAL_ASSISTANCE_REVIEW;

    /** What a run measured. */
    record Result(double recordsPerSecond, double peakHeapMebibytes, long residents, long stateBytes) {
        double stateMebibytesPerMillionResidents() {
            return stateBytes / (1024.0 * 1024.0) * (1_000_000.0 / residents);
        }
    }

    private LinkageBench() {}

    static Result run(
            BenchCluster cluster, String applicationId, String guarantee, int residents, String tag, Path stateDir) {
        if (!cluster.embedded()) {
            throw new BenchFailure("runs on the bench's own broker only: it writes test residents to the real"
                    + " shared.* topics the scenario reads");
        }
        List<String> inputs = SCENARIO.inputTopics();
        cluster.createMissingTopics(3, inputs);
        Map<TopicPartition, Long> start = cluster.endOffsets(inputs, IsolationLevel.READ_UNCOMMITTED);
        Population population = prepare(cluster, residents, tag);
        cluster.commitGroupOffsets(applicationId, start);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        Path appState = stateDir.resolve(applicationId);
        long[] stateBytes = {0};
        var timing = StreamsStopwatch.time(
                cluster,
                applicationId,
                List.of(SCENARIO.outputs().get(0).name()),
                transactional,
                population.records().size(),
                inputs.size(),
                population.flagged(),
                () -> {
                    Properties client = cluster.clientProperties();
                    FirstPollProbe.install(client);
                    LinkageApp app = LinkageApp.start(
                            SCENARIO,
                            client,
                            applicationId,
                            guarantee,
                            appState,
                            LinkageSettings.defaults(),
                            new SimpleMeterRegistry());
                    // Its 30 RocksDB stores are opened (by Kafka Streams' state updater, beside the
                    // main consumer's first polls) before anything is written, so that the time is
                    // the join's, not the stores' start-up; the first poll with records starts it.
                    awaitRunning(app);
                    send(cluster, population.records());
                    StreamsStopwatch.RunningApp running = StreamsStopwatch.RunningApp.of(
                            "the linkage application", app::state, app::close, app.kafkaStreams());
                    return new StreamsStopwatch.RunningApp() {
                        @Override
                        public String failure() {
                            return running.failure();
                        }

                        @Override
                        public void close() {
                            // Closed first, so that RocksDB has flushed its memtables to files; measured
                            // before the local state is removed.
                            app.close();
                            stateBytes[0] = directorySize(appState);
                            app.kafkaStreams().cleanUp();
                        }
                    };
                });
        return new Result(timing.recordsPerSecond(), timing.peakHeapMebibytes(), residents, stateBytes[0]);
    }

    /** The serialized input records, and how many recipients must be flagged. */
    record Population(List<ProducerRecord<byte[], byte[]>> records, long flagged) {}

    /**
     * Serializes the population (with the registry, before anything is timed). Resident {@code i}
     * is a recipient when {@code
     * i % 5 == 0}; its one fact, if any, is drawn from the seed: a vehicle (8 %), a business where it
     * is legal representative (4 %), a pension (20 %, a third of them above the threshold), a death
     * (1 %).
     */
    static Population prepare(BenchCluster cluster, int residents, String tag) {
        PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
        Random random = new Random(residents);
        Instant now = Instant.now();
        LocalDate today = LocalDate.of(2025, 6, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long flagged = 0;
        long threshold = LinkageSettings.DEFAULT_PENSION_FEN;
        try (Serde<SocialAssistanceRecipient> recipients = serdes.value(SocialAssistanceRecipient.class);
                Serde<VehicleRegistration> vehicles = serdes.value(VehicleRegistration.class);
                Serde<BusinessRegistration> businesses = serdes.value(BusinessRegistration.class);
                Serde<PensionRecipient> pensions = serdes.value(PensionRecipient.class);
                Serde<DeathRegistration> deaths = serdes.value(DeathRegistration.class)) {
            for (int i = 0; i < residents; i++) {
                String id = residentId(tag, i);
                String name = "居民" + i;
                boolean recipient = i % 5 == 0;
                if (recipient) {
                    records.add(record(
                            recipients,
                            "mz.social-assistance",
                            "SA-" + tag + "-" + i,
                            SocialAssistanceRecipient.newBuilder()
                                    .setRecordId("SA-" + tag + "-" + i)
                                    .setResidentId(id)
                                    .setName(name)
                                    .setSex(Sex.FEMALE)
                                    .setBirthDate(today.minusYears(40))
                                    .setRegionCode("371702")
                                    .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                                    .setMonthlyAmountFen(60_000)
                                    .setHouseholdSize(3)
                                    .setApprovedOn(today.minusYears(1))
                                    .setPhone(null)
                                    .setUpdatedAt(now)
                                    .build()));
                }
                double u = random.nextDouble();
                boolean flags;
                if (u < 0.08) {
                    records.add(record(
                            vehicles,
                            "ga.vehicle-registration",
                            "VR-" + tag + "-" + i,
                            VehicleRegistration.newBuilder()
                                    .setRecordId("VR-" + tag + "-" + i)
                                    .setPlateNumber("鲁R" + String.format("%05d", i % 100_000))
                                    .setVin("LSVAU2180N2" + String.format("%06d", i % 1_000_000))
                                    .setVehicleType(VehicleType.SMALL_CAR)
                                    .setOwnerResidentId(id)
                                    .setOwnerName(name)
                                    .setRegionCode("371702")
                                    .setRegisteredOn(today.minusYears(3))
                                    .setNewEnergy(false)
                                    .setEngineDisplacementLitres(null)
                                    .setUpdatedAt(now)
                                    .build()));
                    flags = true;
                } else if (u < 0.12) {
                    records.add(record(
                            businesses,
                            "scjg.business-registration",
                            "BR-" + tag + "-" + i,
                            BusinessRegistration.newBuilder()
                                    .setRecordId("BR-" + tag + "-" + i)
                                    .setCreditCode("91371702MA" + String.format("%08d", i))
                                    .setEntityName("菏泽市" + name + "商贸有限公司")
                                    .setEntityType(EntityType.LIMITED_COMPANY)
                                    .setLegalRepresentative(name)
                                    .setLegalRepresentativeId(id)
                                    .setRegionCode("371702")
                                    .setRegisteredCapital(new BigDecimal("100000.00"))
                                    .setEstablishedOn(today.minusYears(2))
                                    .setBusinessScope("日用百货销售")
                                    .setStatus(EntityStatus.ACTIVE)
                                    .setPhone(null)
                                    .setUpdatedAt(now)
                                    .build()));
                    flags = true;
                } else if (u < 0.32) {
                    boolean above = random.nextInt(3) == 0;
                    records.add(record(
                            pensions,
                            "rs.pension-recipients",
                            "PR-" + tag + "-" + i,
                            PensionRecipient.newBuilder()
                                    .setRecordId("PR-" + tag + "-" + i)
                                    .setResidentId(id)
                                    .setName(name)
                                    .setSex(Sex.FEMALE)
                                    .setBirthDate(today.minusYears(65))
                                    .setRegionCode("371702")
                                    .setPensionType(PensionType.URBAN_RURAL_RESIDENT)
                                    .setMonthlyPensionFen(above ? threshold + 50_000 : threshold / 4)
                                    .setStartDate(today.minusYears(5))
                                    .setStatus(PensionStatus.ACTIVE)
                                    .setEmployerCreditCode(null)
                                    .setUpdatedAt(now)
                                    .build()));
                    flags = above;
                } else if (u < 0.33) {
                    records.add(record(
                            deaths,
                            "wj.death-registration",
                            "DR-" + tag + "-" + i,
                            DeathRegistration.newBuilder()
                                    .setRecordId("DR-" + tag + "-" + i)
                                    .setResidentId(id)
                                    .setName(name)
                                    .setSex(Sex.FEMALE)
                                    .setBirthDate(today.minusYears(80))
                                    .setDeathDate(today.minusMonths(2))
                                    .setRegionCode("371702")
                                    .setCertificateNo("A" + String.format("%09d", i))
                                    .setCause(null)
                                    .setInstitutionCreditCode(null)
                                    .setRegisteredAt(now)
                                    .build()));
                    flags = true;
                } else {
                    flags = false;
                }
                if (recipient && flags) {
                    flagged++;
                }
            }
        }
        return new Population(List.copyOf(records), flagged);
    }

    private static void awaitRunning(LinkageApp app) {
        try {
            if (!app.awaitRunning(StreamsStopwatch.BASE_TIMEOUT)) {
                throw new BenchFailure("the linkage application is " + app.state() + " after "
                        + StreamsStopwatch.BASE_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            throw BenchCluster.interrupted(e);
        }
    }

    /** Unique per run and resident; the topology does not check ID checksums (validation did). */
    private static String residentId(String tag, int i) {
        return "B" + tag + String.format("%010d", i);
    }

    private static <V extends SpecificRecord> ProducerRecord<byte[], byte[]> record(
            Serde<V> serde, String catalogId, String key, V value) {
        String topic = Topics.shared(catalogId);
        return new ProducerRecord<>(
                topic, key.getBytes(StandardCharsets.UTF_8), serde.serializer().serialize(topic, value));
    }

    /** Writes the records as fast as the producer goes. */
    private static void send(BenchCluster cluster, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ProducerBaseline.publisherLikeProperties(cluster),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> regular = new ArrayList<>();
            files.filter(Files::isRegularFile).forEach(regular::add);
            long total = 0;
            for (Path p : regular) {
                try {
                    total += Files.size(p);
                } catch (IOException gone) {
                    // RocksDB compacts while we walk: a file that vanished no longer counts.
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
