package city.heze.peony.streams.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.streams.linkage.ReviewFact.Evidence;
import city.heze.peony.streams.linkage.ReviewFact.Kind;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The facts and per-subject state in the compact layout of the repartition and changelog topics. */
class SocialAssistanceReviewStateCodecTest {
    private static ReviewFact fact(Kind kind, String key, String fieldValue) {
        TreeMap<String, String> fields = new TreeMap<>();
        fields.put("monthlyPensionFen", fieldValue);
        fields.put("status", "ACTIVE");
        return new ReviewFact(
                kind,
                key,
                true,
                true,
                150_000,
                "371702195001010007",
                "张秀英",
                "371702",
                new Evidence(
                        key.startsWith("P") ? "rs.pension-recipients" : "x.y",
                        key,
                        "shared.x",
                        3,
                        42L,
                        1_000L,
                        fields));
    }

    @Test
    void aFactAndARetractionReadBackEqual() {
        var serde = ReviewFact.serde();
        ReviewFact fact = fact(Kind.PENSION, "PEN-1", "150000");
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", fact)))
                .isEqualTo(fact);
        ReviewFact retraction = ReviewFact.retraction(Kind.VEHICLE, "GA-1");
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", retraction)))
                .isEqualTo(retraction);
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }

    @Test
    void stateKeepsFactsOrderedByKindAndKeyAndReadsBackEqual() {
        FactSet state = FactSet.EMPTY
                .apply(fact(Kind.PENSION, "PEN-2", "1"))
                .apply(fact(Kind.VEHICLE, "GA-1", "2"))
                .apply(fact(Kind.PENSION, "PEN-1", "3"))
                .apply(fact(Kind.PENSION, "PEN-2", "4")) // replaces
                .apply(ReviewFact.retraction(Kind.VEHICLE, "GA-1"))
                .withEmitted("MZ-1#PENSION:rs.pension-recipients/PEN-1,;", 1 << 3);
        assertThat(state.facts()).extracting(ReviewFact::factKey).containsExactly("PEN-1", "PEN-2");
        assertThat(state.facts().get(1).evidence().fields()).containsEntry("monthlyPensionFen", "4");

        var serde = FactSet.serde();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", state)))
                .isEqualTo(state);
        assertThat(FactSet.EMPTY
                        .apply(ReviewFact.retraction(Kind.DEATH, "WJ-1"))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void stateOfAnotherFormatVersionFailsNamingIt() {
        byte[] bytes = FactSet.serde().serializer().serialize("t", FactSet.EMPTY);
        bytes[0] = 9;
        assertThatThrownBy(() -> FactSet.serde().deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("social-assistance review facts")
                .hasMessageContaining("format version 9");
    }
}
