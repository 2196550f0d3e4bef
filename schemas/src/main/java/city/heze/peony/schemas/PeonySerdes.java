package city.heze.peony.schemas;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.schemas.serde.GenericAvroSerde;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serdes of Peony's topics, in one place beside {@link Topics}: keys are ids as UTF-8
 * strings, values are Avro in Confluent's wire format through the registry named by {@code
 * schema.registry.url} in the configs (any Confluent config name of the serde applies).
 */
public final class PeonySerdes {
    private final Map<String, Object> configs;

    public PeonySerdes(Map<String, ?> configs) {
        this.configs = new HashMap<>(configs);
    }

    /** Every key on Peony's topics is an id: a catalog id, an application id, a record id. */
    public static Serde<String> key() {
        return Serdes.String();
    }

    /** A value serde for one of the generated contract classes. */
    public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }

    /** Department records of any catalog, read with the writer's schema. */
    public Serde<GenericRecord> genericValue() {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(configs, false);
        return serde;
    }

    /** {@link Topics#CATALOG}. */
    public Serde<CatalogEntry> catalogEntry() {
        return value(CatalogEntry.class);
    }

    /** {@link Topics#REJECTED}. */
    public Serde<Rejection> rejection() {
        return value(Rejection.class);
    }

    /** {@link Topics#QUALITY}. */
    public Serde<QualityReport> qualityReport() {
        return value(QualityReport.class);
    }

    /** {@link Topics#SHARE_REQUESTS}. */
    public Serde<ShareRequest> shareRequest() {
        return value(ShareRequest.class);
    }

    /** {@link Topics#SHARE_DECISIONS}. */
    public Serde<ShareDecision> shareDecision() {
        return value(ShareDecision.class);
    }

    /** {@link Topics#SHARE_OUTCOMES}. */
    public Serde<ShareOutcome> shareOutcome() {
        return value(ShareOutcome.class);
    }

    /** {@link Topics#SHARE_RATES}. */
    public Serde<TimelyShareRate> timelyShareRate() {
        return value(TimelyShareRate.class);
    }
}
