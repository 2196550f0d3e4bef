package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.topology.TopicWithSerde;
import city.heze.peony.streams.topology.TopologyFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/** The share topology on a {@link TopologyFixture}, with its typed topics: one per test. */
final class ShareSlaDriver extends TopologyFixture {
    final ShareSlaContext context;
    final ShareMeters meters;
    final TestInputTopic<String, CatalogEntry> catalogs;
    final TestInputTopic<String, ShareRequest> requests;
    final TestInputTopic<String, ShareDecision> decisions;
    final TestInputTopic<byte[], byte[]> rawRequests;
    final TestInputTopic<byte[], byte[]> rawDecisions;
    final TestOutputTopic<String, ShareOutcome> outcomes;
    final TestOutputTopic<String, TimelyShareRate> rates;
    final TestOutputTopic<String, Rejection> rejected;
    final TestOutputTopic<String, ShareGrant> grants;

    ShareSlaDriver(Path stateDir, Instant wallClock) {
        this(stateDir, wallClock, ShareSlaSettings.defaults());
    }

    ShareSlaDriver(Path stateDir, Instant wallClock, ShareSlaSettings settings) {
        super(newRegistryName("share-test"));
        Properties client = clientProperties(null);
        Properties config = ShareSlaApp.streamsConfig(client, "share-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        context = ShareSlaContext.of(settings, client, meterRegistry);
        meters = context.meters();
        start(ShareSlaTopology.build(context, config), config, wallClock);
        catalogs = input(topics.catalog);
        requests = input(topics.shareRequests);
        decisions = input(topics.shareDecisions);
        rawRequests = input(topics.shareRequests.asBytes());
        rawDecisions = input(topics.shareDecisions.asBytes());
        outcomes = output(topics.shareOutcomes);
        rates = output(topics.shareRates);
        rejected = output(topics.rejected);
        grants = output(topics.shareGrants);
    }

    /** What department {@code department} writes on its own request topic. */
    TestInputTopic<String, ShareRequest> requestsOf(String department) {
        return input(new TopicWithSerde<>(
                Topics.shareRequestsOf(department),
                topics.shareRequests.keySerde(),
                topics.shareRequests.valueSerde()));
    }

    /** What department {@code department} writes on its own decision topic. */
    TestInputTopic<String, ShareDecision> decisionsOf(String department) {
        return input(new TopicWithSerde<>(
                Topics.shareDecisionsOf(department),
                topics.shareDecisions.keySerde(),
                topics.shareDecisions.valueSerde()));
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
        return counter("peony.share.outcomes", "provider", provider, "status", status);
    }

    @Override
    protected void closeContext() {
        context.close();
    }
}
