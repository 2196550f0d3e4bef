package city.heze.peony.streams.topology;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Peony topics that topologies read and write, each declared once with its serdes (see {@link
 * Topics} for names and settings). Every Avro serde shares one registry client, so that all tasks of
 * an application share one HTTP client and one schema cache; the client is closed with this object,
 * after the Kafka Streams instance.
 */
public final class StreamsTopics implements AutoCloseable {
    private final SchemaRegistryClient client;
    private final Map<String, ?> configs;

    public final TopicWithSerde<String, CatalogEntry> catalog;
    public final TopicWithSerde<String, Rejection> rejected;
    public final TopicWithSerde<String, QualityReport> quality;
    public final TopicWithSerde<String, ShareRequest> shareRequests;
    public final TopicWithSerde<String, ShareDecision> shareDecisions;
    public final TopicWithSerde<String, ShareOutcome> shareOutcomes;
    public final TopicWithSerde<String, TimelyShareRate> shareRates;
    public final TopicWithSerde<String, ShareGrant> shareGrants;
    public final TopicWithSerde<String, SocialAssistanceReview> socialAssistanceReview;
    public final TopicWithSerde<String, PensionCertification> pensionCertification;
    public final TopicWithSerde<String, CertificationRun> certificationRuns;
    public final TopicWithSerde<String, OpenWithheld> openWithheld;
    public final TopicWithSerde<String, OpenQualifiedRate> openRates;

    private StreamsTopics(SchemaRegistryClient client, Map<String, ?> configs) {
        this.client = client;
        this.configs = Map.copyOf(configs);
        catalog = avro(Topics.CATALOG, CatalogEntry.class);
        rejected = avro(Topics.REJECTED, Rejection.class);
        quality = avro(Topics.QUALITY, QualityReport.class);
        shareRequests = avro(Topics.SHARE_REQUESTS, ShareRequest.class);
        shareDecisions = avro(Topics.SHARE_DECISIONS, ShareDecision.class);
        shareOutcomes = avro(Topics.SHARE_OUTCOMES, ShareOutcome.class);
        shareRates = avro(Topics.SHARE_RATES, TimelyShareRate.class);
        shareGrants = avro(Topics.SHARE_GRANTS, ShareGrant.class);
        socialAssistanceReview = avro(Topics.LINKAGE_SOCIAL_ASSISTANCE_REVIEW, SocialAssistanceReview.class);
        pensionCertification = avro(Topics.LINKAGE_PENSION_CERTIFICATION, PensionCertification.class);
        certificationRuns = avro(Topics.LINKAGE_CERTIFICATION_RUNS, CertificationRun.class);
        openWithheld = avro(Topics.OPEN_WITHHELD, OpenWithheld.class);
        openRates = avro(Topics.OPEN_RATES, OpenQualifiedRate.class);
    }

    /**
     * The topics with serdes on a new registry client.
     *
     * @param registryConfigs serde and registry settings under Confluent's names ({@code
     *     schema.registry.url}, basic auth, ...); the client properties will do
     */
    public static StreamsTopics connect(Map<String, ?> registryConfigs) {
        return new StreamsTopics(SchemaRegistryClients.fromConfig(registryConfigs), registryConfigs);
    }

    /** The same from Kafka client properties (which hold {@code schema.registry.url}). */
    public static StreamsTopics connect(Properties clientProperties) {
        return connect(ClientConfigs.toMap(clientProperties));
    }

    public SchemaRegistryClient registryClient() {
        return client;
    }

    /** Department records of any catalog, read into the reader schema the caller gives (the catalog's). */
    public PeonyAvroDeserializer recordDeserializer() {
        return new PeonyAvroDeserializer(client, configs, false);
    }

    private <V extends SpecificRecord> TopicWithSerde<String, V> avro(PeonyTopic topic, Class<V> type) {
        SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(client, type);
        serde.configure(configs, false);
        return new TopicWithSerde<>(topic.name(), PeonySerdes.key(), serde);
    }

    @Override
    public void close() {
        client.close();
    }
}
