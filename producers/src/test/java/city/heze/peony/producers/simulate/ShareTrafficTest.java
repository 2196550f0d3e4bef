package city.heze.peony.producers.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.producers.TestCatalogs;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Simulated share applications go where departments may write: the request on the requester's own
 * topic, an answer on the provider's, a withdrawal on the requester's, each in its writer's name.
 */
class ShareTrafficTest {
    private static final long NOW = Instant.parse("2025-10-20T02:00:00Z").toEpochMilli();

    @Test
    void eachApplicationIsWrittenOnTheTopicsOfTheDepartmentsThatWriteIt() {
        ShareTraffic traffic =
                new ShareTraffic(List.of(TestCatalogs.socialAssistance()), List.of("mz", "rs", "ga"), 0.1, 0.1, 0.2);
        Random random = new Random(42);
        Set<ShareFate> seen = EnumSet.noneOf(ShareFate.class);
        for (int i = 0; i < 500; i++) {
            ShareTraffic.Application a = traffic.next(random, NOW);
            seen.add(a.fate());
            String requester = a.request().getRequestingDepartment();
            assertThat(requester).isNotEqualTo("mz");
            assertThat(a.requestTopic()).isEqualTo("peony.share.requests." + requester);
            if (a.decision() == null) {
                assertThat(a.fate()).isEqualTo(ShareFate.NEVER);
                assertThat(a.decisionTopic()).isNull();
            } else if (a.decision().getDecision() == ShareDecisionKind.WITHDRAWN) {
                assertThat(a.decision().getDecidedBy()).isEqualTo(requester);
                assertThat(a.decisionTopic()).isEqualTo("peony.share.decisions." + requester);
            } else {
                assertThat(a.decision().getDecidedBy()).isEqualTo("mz");
                assertThat(a.decisionTopic()).isEqualTo("peony.share.decisions.mz");
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(ShareFate.values());
    }

    @Test
    void aDepartmentWithoutItsShareTopicsIsOneLineNamingTheTopic() {
        ShareTraffic traffic =
                new ShareTraffic(List.of(TestCatalogs.socialAssistance()), List.of("mz", "rs"), 0.1, 0.1, 0.2);
        Set<String> existing = Set.of("peony.share.requests.mz", "peony.share.decisions.mz", "peony.share.requests.rs");
        assertThatThrownBy(() -> traffic.requireTopics(existing))
                .isInstanceOf(PublisherSetupException.class)
                .hasMessageStartingWith("no topic peony.share.decisions.rs: share traffic is written where each"
                        + " department may write");
        traffic.requireTopics(Set.of(
                "peony.share.requests.mz",
                "peony.share.decisions.mz",
                "peony.share.requests.rs",
                "peony.share.decisions.rs"));
    }
}
