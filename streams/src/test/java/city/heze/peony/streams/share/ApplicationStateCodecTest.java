package city.heze.peony.streams.share;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.streams.topology.CompactCodec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The store format of an application: grants and waiting decisions survive, and version 1 still reads. */
class ApplicationStateCodecTest {
    private final Serde<ApplicationState> serde = ApplicationState.serde();

    private ApplicationState roundTrip(ApplicationState s) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));
    }

    @Test
    void aGrantAndWaitingDecisionsAreKept() {
        ApplicationState.Request request = new ApplicationState.Request("mz.x", "mz", "rs", 10L, 20L, 10);
        ApplicationState.Decision answer = new ApplicationState.Decision(ShareDecisionKind.APPROVED, null, 15L, "mz");
        ApplicationState.Grant grant = new ApplicationState.Grant(15L, 99L, 17L, ShareDecisionKind.REVOKED, "用途已变更");
        ApplicationState s =
                new ApplicationState(request, answer, null, ShareOutcomeStatus.TIMELY, 5L, grant, List.of());
        assertThat(roundTrip(s)).isEqualTo(s);

        ApplicationState.Waiting w = new ApplicationState.Waiting(
                "peony.share.decisions", 2, 41L, 7L, "A-1".getBytes(), new byte[] {0, 0, 0, 0, 1, 9}, 8L);
        ApplicationState waiting = ApplicationState.ofDecisionOnly(5L).withWaiting(w);
        ApplicationState back = roundTrip(waiting);
        assertThat(back.request()).isNull();
        assertThat(back.grant()).isNull();
        assertThat(back.waiting()).hasSize(1);
        ApplicationState.Waiting got = back.waiting().get(0);
        assertThat(List.of(got.topic(), got.partition(), got.offset(), got.timestamp(), got.decidedAt()))
                .containsExactly("peony.share.decisions", 2, 41L, 7L, 8L);
        assertThat(got.key()).isEqualTo("A-1".getBytes());
        assertThat(got.value()).isEqualTo(new byte[] {0, 0, 0, 0, 1, 9});
    }

    @Test
    void stateWrittenInVersion1IsReadWithNoGrantAndNothingWaiting() {
        CompactCodec.Writer w = new CompactCodec.Writer(64);
        w.writeByte(1).writeByte(1 | 2); // a request and an answer
        w.writeString("mz.x")
                .writeString("mz")
                .writeString("rs")
                .writeLong(10)
                .writeLong(20)
                .writeInt(10);
        w.writeString("APPROVED").writeString(null).writeLong(15).writeString(null);
        w.writeString("TIMELY").writeLong(5);

        ApplicationState s = serde.deserializer().deserialize("t", w.toByteArray());

        assertThat(s.request().provider()).isEqualTo("mz");
        assertThat(s.answer().kind()).isEqualTo(ShareDecisionKind.APPROVED);
        assertThat(s.emitted()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(s.grant()).isNull();
        assertThat(s.waiting()).isEmpty();
    }
}
