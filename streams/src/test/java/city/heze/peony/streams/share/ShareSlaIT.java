package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.approve;
import static city.heze.peony.streams.share.ShareFixtures.approveBy;
import static city.heze.peony.streams.share.ShareFixtures.at;
import static city.heze.peony.streams.share.ShareFixtures.catalog;
import static city.heze.peony.streams.share.ShareFixtures.endOf;
import static city.heze.peony.streams.share.ShareFixtures.refuse;
import static city.heze.peony.streams.share.ShareFixtures.request;
import static city.heze.peony.streams.share.ShareFixtures.withdraw;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.calendar.WorkingDayCalendar;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share SLA application against a real embedded broker and registry, exactly-once: a known set
 * of applications over seven weeks around the 2025 National Day holiday (Sep 28 worked, Oct 1-8 off,
 * Oct 11 worked), answered early, in the last minute of the deadline, a minute after it, never, and
 * withdrawn, gives exactly the outcomes and rates worked out by hand below. The application is
 * stopped in the middle and started again with its local state wiped, so everything it knew must
 * come back from the changelogs; an overdue outcome appears with no input but the wall clock.
 */
class ShareSlaIT {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ShareSlaIT.class);
    static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine
    static final String MZ = "mz.social-assistance"; // 10 working days (the default)
    static final String RS = "rs.pensions"; // 5 working days (the catalog's own)

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registry;
    static Properties client;
    static PeonySerdes serdes;

    @BeforeAll
    static void startCluster() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir.resolve("kafka"), 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        serdes = new PeonySerdes(Map.of("schema.registry.url", registry.url()));
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> topics = new ArrayList<>();
            for (PeonyTopic t : List.of(
                    Topics.CATALOG,
                    Topics.REJECTED,
                    Topics.SHARE_REQUESTS,
                    Topics.SHARE_DECISIONS,
                    Topics.SHARE_OUTCOMES,
                    Topics.SHARE_RATES,
                    Topics.SHARE_GRANTS)) {
                topics.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
            }
            admin.createTopics(topics).all().get();
        }
        send(
                Topics.CATALOG.name(),
                serdes.catalogEntry().serializer(),
                List.of(catalog(MZ, "mz", ShareType.CONDITIONAL, null), catalog(RS, "rs", ShareType.CONDITIONAL, 5)));
    }

    @AfterAll
    static void stopCluster() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void knownApplicationsGiveTheExpectedOutcomesAndRatesAcrossARestart() throws Exception {
        Instant now = Instant.now();
        // Recent ones, for the rolling window: deadlines in the last 30 days, or still ahead.
        Instant recent = now.minus(Duration.ofDays(25));
        Instant recentDeadline = WorkingDayCalendar.fromClasspath().deadline(recent, 5);
        Instant openSubmitted = now.minus(Duration.ofHours(1));
        Instant openDeadline = WorkingDayCalendar.fromClasspath().deadline(openSubmitted, 10);

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShareSlaApp first = startApp(meters, "first");
        try (OutcomeWatcher outcomes = new OutcomeWatcher()) {
            // An application nobody answers: OVERDUE appears with no input but the wall clock.
            sendRequests(request("R-NEVER", RS, "rs", "mz", at("2025-09-28T09:00")));
            assertThat(outcomes.await("R-NEVER", ShareOutcomeStatus.OVERDUE).getDeadline())
                    .isEqualTo(endOf("2025-10-11")); // Sep 29, 30, Oct 9, 10, 11 (a worked Saturday)

            sendRequests(
                    request("M-EARLY", MZ, "mz", "rs", at("2025-09-26T10:00")),
                    request("M-LAST-MINUTE", MZ, "mz", "rs", at("2025-09-26T10:00")),
                    request("M-MINUTE-LATE", MZ, "mz", "rs", at("2025-09-26T10:00")),
                    request("M-NEVER", MZ, "mz", "rs", at("2025-09-26T10:00")),
                    request("M-WITHDRAWN", MZ, "mz", "rs", at("2025-09-26T10:00")),
                    request("M-HOLIDAY-EVE", MZ, "mz", "rs", at("2025-09-30T16:00")),
                    request("M-ON-HOLIDAY", MZ, "mz", "rs", at("2025-10-01T08:00")),
                    request("R-SUNDAY", RS, "rs", "mz", at("2025-09-28T09:00")),
                    request("R-NOVEMBER", RS, "rs", "mz", at("2025-11-03T09:00")),
                    request("R-RECENT", RS, "rs", "mz", recent),
                    request("OPEN", MZ, "mz", "rs", openSubmitted),
                    request("BAD-CATALOG", "no.such-catalog", "mz", "rs", at("2025-09-26T10:00")));
            sendDecisions(
                    approve("M-EARLY", at("2025-09-28T10:00")), // a make-up working Sunday
                    refuse("M-LAST-MINUTE", "不符合共享条件", at("2025-10-16T23:59:59")),
                    refuse("M-NEVER", "", at("2025-10-10T10:00")), // no reason: rejected, no answer
                    withdraw("M-WITHDRAWN", at("2025-10-09T09:00")),
                    approve("M-HOLIDAY-EVE", at("2025-10-20T17:00")),
                    approveBy("rs", "R-SUNDAY", at("2025-10-11T12:00")),
                    approveBy("rs", "R-RECENT", recent.plus(Duration.ofHours(2))));

            assertThat(outcomes.await("M-EARLY", ShareOutcomeStatus.TIMELY).getDeadline())
                    .isEqualTo(endOf("2025-10-16"));
            outcomes.await("M-LAST-MINUTE", ShareOutcomeStatus.TIMELY);
            outcomes.await("M-WITHDRAWN", ShareOutcomeStatus.WITHDRAWN);
            outcomes.await("M-NEVER", ShareOutcomeStatus.OVERDUE);
            outcomes.await("M-MINUTE-LATE", ShareOutcomeStatus.OVERDUE);
            assertThat(outcomes.await("M-HOLIDAY-EVE", ShareOutcomeStatus.TIMELY)
                            .getDeadline())
                    .isEqualTo(endOf("2025-10-21")); // Oct 9, 10, 11, 13-17, 20, 21
            assertThat(outcomes.await("M-ON-HOLIDAY", ShareOutcomeStatus.OVERDUE)
                            .getDeadline())
                    .isEqualTo(endOf("2025-10-21")); // the same: Oct 2-8 are no working days
            outcomes.await("R-SUNDAY", ShareOutcomeStatus.TIMELY);
            log.info("first phase: outcomes seen");
            assertThat(outcomes.await("R-NOVEMBER", ShareOutcomeStatus.OVERDUE).getDeadline())
                    .isEqualTo(endOf("2025-11-10")); // Nov 4-7, 10
            assertThat(outcomes.await("R-RECENT", ShareOutcomeStatus.TIMELY).getDeadline())
                    .isEqualTo(recentDeadline);
            awaitGauge(() -> first.meters().pending("mz"), 1); // OPEN
            awaitGauge(() -> first.meters().overduePending("mz"), 3); // M-NEVER, M-MINUTE-LATE, M-ON-HOLIDAY
            awaitGauge(() -> first.meters().overduePending("rs"), 2); // R-NEVER, R-NOVEMBER
        } finally {
            first.close();
            log.info("first application closed");
        }

        ShareSlaApp second = null;
        // Start again with nothing on disk: the pending applications must come back from the changelogs.
        SimpleMeterRegistry meters2 = new SimpleMeterRegistry();
        try (OutcomeWatcher outcomes = new OutcomeWatcher()) {
            outcomes.skipToEnd();
            second = startApp(meters2, "second");
            ShareSlaApp restarted = second;
            awaitGauge(() -> restarted.meters().pending("mz"), 1);
            awaitGauge(() -> restarted.meters().overduePending("mz"), 3);
            sendDecisions(
                    approve("M-MINUTE-LATE", at("2025-10-17T00:00:59")),
                    approve("M-ON-HOLIDAY", at("2025-10-22T09:00")),
                    approveBy("rs", "R-NOVEMBER", at("2025-11-12T09:00")),
                    approve("OPEN", openSubmitted.plus(Duration.ofMinutes(30))));

            assertThat(outcomes.await("M-MINUTE-LATE", ShareOutcomeStatus.LATE).getAnsweredAt())
                    .isEqualTo(at("2025-10-17T00:00:59"));
            outcomes.await("M-ON-HOLIDAY", ShareOutcomeStatus.LATE);
            outcomes.await("R-NOVEMBER", ShareOutcomeStatus.LATE);
            assertThat(outcomes.await("OPEN", ShareOutcomeStatus.TIMELY).getDeadline())
                    .isEqualTo(openDeadline);
            awaitGauge(() -> restarted.meters().pending("mz"), 0);
            awaitGauge(() -> restarted.meters().overduePending("mz"), 1); // M-NEVER
            assertThat(outcomes.seenSinceStart())
                    .as("after the restart only the four answers changed anything: nothing re-emitted")
                    .containsOnlyKeys("M-MINUTE-LATE", "M-ON-HOLIDAY", "R-NOVEMBER", "OPEN");

            log.info("second phase: outcomes seen");
            // Rates, worked out by hand (timely / applications whose deadline fell in the period).
            Map<String, TimelyShareRate> rates = awaitRates(r -> matches(r, "rs/*/MONTH/2025-11", 1, 0, 1, 0)
                    && matches(r, "mz/*/DAY/" + LocalDate.ofInstant(openDeadline, CityZone.ZONE), 1, 1, 0, 0)
                    && matches(r, "mz/*/MONTH/2025-10", 6, 3, 2, 1)
                    && matches(r, "mz/*/LAST_30_DAYS/last-30-days", 0, 0, 0, 0)
                    && matches(r, "rs/*/LAST_30_DAYS/last-30-days", 1, 1, 0, 0));
            // Oct 16: M-EARLY and M-LAST-MINUTE timely, M-MINUTE-LATE late, M-NEVER overdue; M-WITHDRAWN not counted.
            assertRate(rates, "mz/*/DAY/2025-10-16", 4, 2, 1, 1, 0.5);
            assertRate(rates, "mz/mz.social-assistance/DAY/2025-10-16", 4, 2, 1, 1, 0.5);
            // Oct 21: M-HOLIDAY-EVE timely, M-ON-HOLIDAY late (it was OVERDUE before: counted once).
            assertRate(rates, "mz/*/DAY/2025-10-21", 2, 1, 1, 0, 0.5);
            assertRate(rates, "mz/*/MONTH/2025-10", 6, 3, 2, 1, 0.5);
            assertRate(rates, "mz/mz.social-assistance/MONTH/2025-10", 6, 3, 2, 1, 0.5);
            // Oct 11: R-SUNDAY timely, R-NEVER overdue.
            assertRate(rates, "rs/*/DAY/2025-10-11", 2, 1, 0, 1, 0.5);
            assertRate(rates, "rs/*/MONTH/2025-10", 2, 1, 0, 1, 0.5);
            assertRate(rates, "rs/*/DAY/2025-11-10", 1, 0, 1, 0, 0.0);
            assertRate(rates, "rs/rs.pensions/MONTH/2025-11", 1, 0, 1, 0, 0.0);
            LocalDate recentDay = LocalDate.ofInstant(recentDeadline, CityZone.ZONE);
            assertRate(rates, "rs/*/DAY/" + recentDay, 1, 1, 0, 0, 1.0);
            assertRate(rates, "rs/*/MONTH/" + YearMonth.from(recentDay), 1, 1, 0, 0, 1.0);
            // OPEN was answered before its deadline: it counts on its deadline's day, not in the last 30 days.
            LocalDate openDay = LocalDate.ofInstant(openDeadline, CityZone.ZONE);
            assertRate(rates, "mz/*/DAY/" + openDay, 1, 1, 0, 0, 1.0);
            // The last 30 days: only R-RECENT's deadline is in them; OPEN's is ahead, so not due yet.
            assertThat(rates.get("mz/*/LAST_30_DAYS/last-30-days").getRate()).isNull();
            assertRate(rates, "rs/*/LAST_30_DAYS/last-30-days", 1, 1, 0, 0, 1.0);
            awaitGauge(() -> Math.round(restarted.meters().timelyRatio("rs") * 100), 100);

            List<Rejection> rejected =
                    readAll(Topics.REJECTED.name(), serdes.rejection().deserializer());
            assertThat(rejected)
                    .extracting(r -> r.getFailures().get(0).getRuleId())
                    .containsExactlyInAnyOrder("share.refusal-without-reason", "share.unknown-catalog");
            assertThat(meters2.find("peony.share.outcomes")
                            .tag("provider", "mz")
                            .tag("status", "LATE")
                            .counter()
                            .count())
                    .isEqualTo(2.0);
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    private static ShareSlaApp startApp(SimpleMeterRegistry meters, String name) throws Exception {
        Path state = Files.createDirectories(dataDir.resolve("state-" + name));
        ShareSlaSettings settings =
                ShareSlaSettings.defaults().withIntervals(Duration.ofMillis(200), Duration.ofMillis(200));
        long started = System.nanoTime();
        ShareSlaApp app = ShareSlaApp.start(client, state, settings, meters);
        assertThat(app.awaitRunning(WAIT)).as("the application reaches RUNNING").isTrue();
        log.info("{} share SLA application running in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        return app;
    }

    private static boolean matches(Map<String, TimelyShareRate> rates, String key, long... counts) {
        TimelyShareRate r = rates.get(key);
        return r != null
                && r.getDue() == counts[0]
                && r.getTimely() == counts[1]
                && r.getLate() == counts[2]
                && r.getOverdue() == counts[3];
    }

    private static void assertRate(
            Map<String, TimelyShareRate> rates,
            String key,
            long due,
            long timely,
            long late,
            long overdue,
            double rate) {
        assertThat(rates).containsKey(key);
        TimelyShareRate r = rates.get(key);
        assertThat(List.of(r.getDue(), r.getTimely(), r.getLate(), r.getOverdue()))
                .as(key)
                .containsExactly(due, timely, late, overdue);
        assertThat(r.getRate()).as(key + " rate").isEqualTo(rate);
    }

    private static void awaitGauge(java.util.function.LongSupplier gauge, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gauge.getAsLong() != expected) {
            if (System.nanoTime() > deadline) {
                assertThat(gauge.getAsLong()).as("gauge after " + WAIT).isEqualTo(expected);
            }
            Thread.sleep(50);
        }
    }

    private static Map<String, TimelyShareRate> awaitRates(Predicate<Map<String, TimelyShareRate>> done) {
        Map<String, TimelyShareRate> latest = new HashMap<>();
        try (KafkaConsumer<String, TimelyShareRate> consumer =
                consumer(serdes.timelyShareRate().deserializer(), Topics.SHARE_RATES.name())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(latest)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "rates not as expected within " + WAIT + ": " + latest.keySet() + " " + latest.values());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
            }
        }
        return latest;
    }

    /** Reads a topic from its start to its current end. */
    private static <V> List<V> readAll(String topic, Deserializer<V> values) {
        List<V> all = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = consumer(values, topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> all.add(r.value()));
            }
        }
        return all;
    }

    private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> values, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(props, PeonySerdes.key().deserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Follows peony.share.outcomes, keeping every outcome per application. */
    private static final class OutcomeWatcher implements AutoCloseable {
        private final KafkaConsumer<String, ShareOutcome> consumer =
                consumer(serdes.shareOutcome().deserializer(), Topics.SHARE_OUTCOMES.name());
        private final Map<String, List<ShareOutcome>> seen = new LinkedHashMap<>();

        /** Forgets what is on the topic now: only outcomes written from here on are seen. */
        void skipToEnd() {
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
        }

        ShareOutcome await(String applicationId, ShareOutcomeStatus status) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (ShareOutcome o : seen.getOrDefault(applicationId, List.of())) {
                    if (o.getStatus() == status) {
                        return o;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + status + " outcome for " + applicationId + " within " + WAIT
                            + "; seen: " + seen.get(applicationId));
                }
                for (ConsumerRecord<String, ShareOutcome> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
        }

        /** Everything committed on the topic up to now: read to the last stable offset, not one poll. */
        Map<String, List<ShareOutcome>> seenSinceStart() {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + Topics.SHARE_OUTCOMES.name() + " to " + end);
                }
                for (ConsumerRecord<String, ShareOutcome> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
            return seen;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static void sendRequests(ShareRequest... requests) throws Exception {
        send(Topics.SHARE_REQUESTS.name(), serdes.shareRequest().serializer(), List.of(requests));
    }

    private static void sendDecisions(ShareDecision... decisions) throws Exception {
        send(Topics.SHARE_DECISIONS.name(), serdes.shareDecision().serializer(), List.of(decisions));
    }

    /** Writes records keyed by their id (application or catalog) and waits for the acknowledgements. */
    private static <V extends SpecificRecord> void send(String topic, Serializer<V> serializer, List<V> records)
            throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer =
                new KafkaProducer<>(props, PeonySerdes.key().serializer(), serializer)) {
            for (V record : records) {
                String key = record instanceof CatalogEntry c
                        ? c.getId()
                        : record.get(0).toString();
                producer.send(new ProducerRecord<>(topic, key, record)).get();
            }
        }
    }
}
