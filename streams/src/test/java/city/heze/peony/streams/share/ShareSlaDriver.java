package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The share topology in a {@link TopologyTestDriver}, with the in-process registry, typed topics,
 * a mocked wall clock and a {@link SimpleMeterRegistry}: one per test.
 */
final class ShareSlaDriver implements AutoCloseable {
    final String registryName = "share-test-" + UUID.randomUUID();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ShareMeters meters = new ShareMeters(registry);
    final TopologyTestDriver driver;
    final TestInputTopic<String, CatalogEntry> catalogs;
    final TestInputTopic<String, ShareRequest> requests;
    final TestInputTopic<String, ShareDecision> decisions;
    final TestInputTopic<byte[], byte[]> rawRequests;
    final TestInputTopic<byte[], byte[]> rawDecisions;
    final TestOutputTopic<String, ShareOutcome> outcomes;
    final TestOutputTopic<String, TimelyShareRate> rates;
    final TestOutputTopic<String, Rejection> rejected;
    private Instant now;

    ShareSlaDriver(Path stateDir, Instant wallClock) {
        this(stateDir, wallClock, ShareSlaSettings.defaults());
    }

    ShareSlaDriver(Path stateDir, Instant wallClock, ShareSlaSettings settings) {
        Properties client = new Properties();
        client.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        client.put("schema.registry.url", LocalSchemaRegistries.LOCAL_SCHEME + registryName);
        Properties config = ShareSlaApp.streamsConfig(client, "share-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        ShareSlaTopology topology = new ShareSlaTopology(settings, client, meters);
        driver = new TopologyTestDriver(topology.build(config), config, wallClock);
        now = wallClock;
        PeonySerdes serdes = new PeonySerdes(Map.of("schema.registry.url", client.get("schema.registry.url")));
        var keys = PeonySerdes.key();
        catalogs = driver.createInputTopic(
                Topics.CATALOG.name(), keys.serializer(), serdes.catalogEntry().serializer());
        requests = driver.createInputTopic(
                Topics.SHARE_REQUESTS.name(),
                keys.serializer(),
                serdes.shareRequest().serializer());
        decisions = driver.createInputTopic(
                Topics.SHARE_DECISIONS.name(),
                keys.serializer(),
                serdes.shareDecision().serializer());
        rawRequests = driver.createInputTopic(
                Topics.SHARE_REQUESTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        rawDecisions = driver.createInputTopic(
                Topics.SHARE_DECISIONS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        outcomes = driver.createOutputTopic(
                Topics.SHARE_OUTCOMES.name(),
                keys.deserializer(),
                serdes.shareOutcome().deserializer());
        rates = driver.createOutputTopic(
                Topics.SHARE_RATES.name(),
                keys.deserializer(),
                serdes.timelyShareRate().deserializer());
        rejected = driver.createOutputTopic(
                Topics.REJECTED.name(), keys.deserializer(), serdes.rejection().deserializer());
    }

    void catalog(CatalogEntry entry) {
        catalogs.pipeInput(entry.getId(), entry);
    }

    void request(ShareRequest request) {
        requests.pipeInput(request.getApplicationId(), request);
    }

    void decide(ShareDecision decision) {
        decisions.pipeInput(decision.getApplicationId(), decision);
    }

    /** Moves the mocked wall clock on, firing the wall-clock punctuators on the way. */
    void advance(Duration by) {
        driver.advanceWallClockTime(by);
        now = now.plus(by);
    }

    /** Moves the wall clock to {@code when}, which must not be before now. */
    void advanceTo(Instant when) {
        if (when.isBefore(now)) {
            throw new IllegalArgumentException("the wall clock is at " + now + ", cannot go back to " + when);
        }
        advance(Duration.between(now, when));
    }

    Instant now() {
        return now;
    }

    List<ShareOutcome> drainOutcomes() {
        return outcomes.readValuesToList();
    }

    /** The latest rate per key, as a compacted topic keeps them. */
    Map<String, TimelyShareRate> latestRates() {
        Map<String, TimelyShareRate> latest = new LinkedHashMap<>();
        for (TestRecord<String, TimelyShareRate> r : rates.readRecordsToList()) {
            latest.put(r.key(), r.value());
        }
        return latest;
    }

    double counter(String provider, String status) {
        var c = registry.find("peony.share.outcomes")
                .tag("provider", provider)
                .tag("status", status)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        driver.close();
        LocalSchemaRegistries.drop(registryName);
    }
}
