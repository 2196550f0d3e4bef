package city.heze.peony.ops.linkage;

import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;

/**
 * The scenarios' outputs as they stand: each topic read to its end, the latest value per key (the
 * outputs are compacted, so this is what a caseworker's list is). Also what the known-answer tests
 * compare with the simulator's planted cases.
 */
public final class LinkageOutputs {
    private LinkageOutputs() {}

    /** The latest review per recipient, by resident ID. */
    public static TopicSnapshot.Latest<SocialAssistanceReview> reviews(Properties client) {
        try (Serde<SocialAssistanceReview> serde =
                new PeonySerdes(ClientConfigs.toMap(client)).value(SocialAssistanceReview.class)) {
            return TopicSnapshot.latest(client, Topics.LINKAGE_SOCIAL_ASSISTANCE_REVIEW.name(), serde.deserializer());
        }
    }

    /** The latest certification per pensioner, by resident ID (a tombstone removed those no longer paid). */
    public static TopicSnapshot.Latest<PensionCertification> certifications(Properties client) {
        try (Serde<PensionCertification> serde =
                new PeonySerdes(ClientConfigs.toMap(client)).value(PensionCertification.class)) {
            return TopicSnapshot.latest(client, Topics.LINKAGE_PENSION_CERTIFICATION.name(), serde.deserializer());
        }
    }

    /** The monthly runs, by {@code yyyy-MM|district}. */
    public static TopicSnapshot.Latest<CertificationRun> runs(Properties client) {
        try (Serde<CertificationRun> serde =
                new PeonySerdes(ClientConfigs.toMap(client)).value(CertificationRun.class)) {
            return TopicSnapshot.latest(client, Topics.LINKAGE_CERTIFICATION_RUNS.name(), serde.deserializer());
        }
    }

    /** The flag kinds of each recipient with at least one flag, by resident ID. */
    public static Map<String, Set<ReviewFlagKind>> flagged(Map<String, SocialAssistanceReview> reviews) {
        Map<String, Set<ReviewFlagKind>> out = new TreeMap<>();
        reviews.forEach((id, review) -> {
            if (!review.getFlags().isEmpty()) {
                Set<ReviewFlagKind> kinds = new TreeSet<>();
                for (ReviewFlag flag : review.getFlags()) {
                    kinds.add(flag.getKind());
                }
                out.put(id, kinds);
            }
        });
        return out;
    }

    /** Recipients flagged with each kind. */
    public static Map<ReviewFlagKind, Long> flagCounts(Map<String, SocialAssistanceReview> reviews) {
        Map<ReviewFlagKind, Long> counts = new EnumMap<>(ReviewFlagKind.class);
        flagged(reviews).values().forEach(kinds -> kinds.forEach(k -> counts.merge(k, 1L, Long::sum)));
        return counts;
    }

    /** Pensioners in each status. */
    public static Map<CertificationStatus, Long> statusCounts(Map<String, PensionCertification> certifications) {
        Map<CertificationStatus, Long> counts = new EnumMap<>(CertificationStatus.class);
        certifications.values().forEach(c -> counts.merge(c.getStatus(), 1L, Long::sum));
        return counts;
    }
}
