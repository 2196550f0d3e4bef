package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The serdes of the validation topology, all on the topology's one registry client (one HTTP
 * client and one schema cache for every task, instead of one per serde).
 */
final class ValidationSerdes {
    private final SchemaRegistryClient client;
    private final Map<String, ?> configs;

    ValidationSerdes(SchemaRegistryClient client, Map<String, ?> configs) {
        this.client = client;
        this.configs = configs;
    }

    SpecificAvroSerde<CatalogEntry> catalogEntry() {
        return specific(CatalogEntry.class);
    }

    SpecificAvroSerde<Rejection> rejection() {
        return specific(Rejection.class);
    }

    SpecificAvroSerde<QualityReport> qualityReport() {
        return specific(QualityReport.class);
    }

    /** Department records, read into the reader schema the caller gives (the catalog's). */
    PeonyAvroDeserializer recordDeserializer() {
        return new PeonyAvroDeserializer(client, configs, false);
    }

    private <T extends SpecificRecord> SpecificAvroSerde<T> specific(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(client, type);
        serde.configure(configs, false);
        return serde;
    }
}
