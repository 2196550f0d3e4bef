package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.at;
import static city.heze.peony.streams.share.ShareFixtures.catalog;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.avro.common.ShareType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded property: whatever order an application's request and decisions arrive in, and whenever
 * the wall-clock punctuator runs between them, its final outcome is the one its events decide (the
 * earliest of answer and withdrawal, by their own times, against the deadline). Hundreds of random
 * applications are replayed twice: in the order they happened, and shuffled with punctuations in
 * between. A failure names the seed, which replays it exactly.
 */
class ShareArrivalOrderPropertyTest {
    static final long SEED = Long.getLong("peony.property.seed", 20_251_129L);
    static final int APPLICATIONS = 400;
    static final String CATALOG = "mz.social-assistance";

    @TempDir
    Path ordered;

    @TempDir
    Path shuffled;

    /** One application's events, in the order they happened. */
    record Events(ShareRequest request, List<ShareDecision> decisions) {}

    @Test
    void theFinalOutcomeDependsOnTheEventsNotOnTheirArrivalOrder() {
        Random random = new Random(SEED);
        List<Events> apps = new ArrayList<>();
        for (int i = 0; i < APPLICATIONS; i++) {
            apps.add(generate("P" + i, random));
        }
        Instant wallClock = at("2025-11-20T12:00"); // after every deadline and every decision

        List<SpecificRecord> inOrder = new ArrayList<>();
        for (Events e : apps) {
            inOrder.add(e.request());
            inOrder.addAll(e.decisions());
        }
        Map<String, ShareOutcome> expected = replay(ordered, wallClock, inOrder, new Random(SEED), false);

        List<SpecificRecord> mixed = new ArrayList<>(inOrder);
        Collections.shuffle(mixed, random);
        Map<String, ShareOutcome> actual = replay(shuffled, wallClock, mixed, random, true);

        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Events e : apps) {
            String id = e.request().getApplicationId();
            ShareOutcome want = expected.get(id);
            ShareOutcome got = actual.get(id);
            String context = "seed " + SEED + ", " + id + ": " + e;
            assertThat(got.getStatus()).as(context).isEqualTo(want.getStatus());
            assertThat(got.getDecision()).as(context).isEqualTo(want.getDecision());
            assertThat(got.getAnsweredAt()).as(context).isEqualTo(want.getAnsweredAt());
            assertThat(got.getStatus()).as(context).isEqualTo(oracle(e, want.getDeadline()));
        }
    }

    /** The rule, stated independently: the earliest of answer and withdrawal decides against the deadline. */
    private static ShareOutcomeStatus oracle(Events e, Instant deadline) {
        ShareDecision first = e.decisions().stream()
                .min(Comparator.comparing(ShareDecision::getDecidedAt)
                        .thenComparing(d -> d.getDecision() == ShareDecisionKind.WITHDRAWN))
                .orElse(null);
        if (first == null) {
            return ShareOutcomeStatus.OVERDUE; // the wall clock is past every deadline
        }
        boolean inTime = !first.getDecidedAt().isAfter(deadline);
        if (first.getDecision() == ShareDecisionKind.WITHDRAWN) {
            return inTime ? ShareOutcomeStatus.WITHDRAWN : ShareOutcomeStatus.OVERDUE;
        }
        return inTime ? ShareOutcomeStatus.TIMELY : ShareOutcomeStatus.LATE;
    }

    private static Events generate(String id, Random random) {
        Instant submitted = at("2025-09-15T09:00").plus(Duration.ofMinutes(random.nextInt(26 * 24 * 60)));
        ShareRequest request = new ShareRequest(id, CATALOG, "mz", "rs", "核查", submitted, null);
        List<ShareDecision> decisions = new ArrayList<>();
        int count = random.nextInt(4); // 0 to 3 decisions: none, an answer, duplicates, a withdrawal...
        for (int i = 0; i < count; i++) {
            Instant when = submitted.plus(Duration.ofMinutes(1 + random.nextInt(30 * 24 * 60)));
            ShareDecisionKind kind = ShareDecisionKind.values()[random.nextInt(3)];
            String reason = kind == ShareDecisionKind.REFUSED ? "理由" + i : null;
            decisions.add(new ShareDecision(id, kind, reason, when, null, null));
        }
        decisions.sort(Comparator.comparing(ShareDecision::getDecidedAt));
        return new Events(request, decisions);
    }

    private static Map<String, ShareOutcome> replay(
            Path stateDir, Instant wallClock, List<SpecificRecord> events, Random random, boolean punctuate) {
        try (ShareSlaDriver d = new ShareSlaDriver(stateDir, wallClock)) {
            d.catalog(catalog(CATALOG, "mz", ShareType.CONDITIONAL, null));
            for (SpecificRecord event : events) {
                if (event instanceof ShareRequest r) {
                    d.request(r);
                } else {
                    d.decide((ShareDecision) event);
                }
                if (punctuate && random.nextInt(10) == 0) {
                    d.advance(Duration.ofSeconds(1));
                }
            }
            d.advance(Duration.ofSeconds(1));
            assertThat(d.rejected.isEmpty()).isTrue();
            Map<String, ShareOutcome> latest = new TreeMap<>();
            d.outcomes.readRecordsToList().forEach(r -> latest.put(r.key(), r.value()));
            assertThat(d.meters.pending("mz")).isZero();
            return latest;
        }
    }
}
