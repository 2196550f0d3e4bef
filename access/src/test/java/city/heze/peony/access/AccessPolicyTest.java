package city.heze.peony.access;

import static city.heze.peony.access.AccessFixtures.T0;
import static city.heze.peony.access.AccessFixtures.catalogs;
import static city.heze.peony.access.AccessFixtures.departments;
import static city.heze.peony.access.AccessFixtures.ended;
import static city.heze.peony.access.AccessFixtures.grant;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.access.Permission.Grounds;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.PatternKind;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareDecisionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final Instant NOW = T0.plus(Duration.ofDays(10));

    private static Set<String> of(List<Permission> permissions, String department) {
        return permissions.stream()
                .filter(p -> p.department().equals(department))
                .map(p -> p.kind() + " " + p.pattern() + " " + p.name() + " " + p.operation())
                .collect(Collectors.toSet());
    }

    @Test
    void withoutGrantsADepartmentGetsItsOwnCatalogsTheUnconditionalOnesItsGroupsAndItsShareTopics() {
        List<Permission> desired = AccessPolicy.desired(catalogs(), departments(), List.of(), NOW);

        assertThat(of(desired, "rs"))
                .containsExactlyInAnyOrder(
                        "TOPIC LITERAL raw.rs.pension WRITE",
                        "TOPIC LITERAL raw.rs.pension DESCRIBE",
                        "TOPIC LITERAL shared.rs.pension READ",
                        "TOPIC LITERAL shared.rs.pension DESCRIBE",
                        "SUBJECT LITERAL raw.rs.pension-value WRITE",
                        "TOPIC LITERAL raw.rs.internal WRITE",
                        "TOPIC LITERAL raw.rs.internal DESCRIBE",
                        "TOPIC LITERAL shared.rs.internal READ",
                        "TOPIC LITERAL shared.rs.internal DESCRIBE",
                        "SUBJECT LITERAL raw.rs.internal-value WRITE",
                        "TOPIC LITERAL shared.mz.death-registration READ",
                        "TOPIC LITERAL shared.mz.death-registration DESCRIBE",
                        "TOPIC LITERAL shared.ga.household-registration READ",
                        "TOPIC LITERAL shared.ga.household-registration DESCRIBE",
                        "TOPIC LITERAL shared.scjg.business-registration READ",
                        "TOPIC LITERAL shared.scjg.business-registration DESCRIBE",
                        "TOPIC LITERAL peony.catalog READ",
                        "TOPIC LITERAL peony.catalog DESCRIBE",
                        "GROUP PREFIXED rs. READ",
                        "TRANSACTIONAL_ID PREFIXED rs. WRITE",
                        "TRANSACTIONAL_ID PREFIXED rs. DESCRIBE",
                        "TOPIC LITERAL peony.share.requests.rs WRITE",
                        "TOPIC LITERAL peony.share.requests.rs DESCRIBE",
                        "SUBJECT LITERAL peony.share.requests.rs-value WRITE",
                        "TOPIC LITERAL peony.share.decisions.rs WRITE",
                        "TOPIC LITERAL peony.share.decisions.rs DESCRIBE",
                        "SUBJECT LITERAL peony.share.decisions.rs-value WRITE",
                        // rs runs the pension certification: its outputs and its application's internal topics
                        "TOPIC LITERAL linkage.pension-certification WRITE",
                        "TOPIC LITERAL linkage.pension-certification READ",
                        "TOPIC LITERAL linkage.pension-certification DESCRIBE",
                        "SUBJECT LITERAL linkage.pension-certification-value WRITE",
                        "TOPIC LITERAL linkage.pension-certification.runs WRITE",
                        "TOPIC LITERAL linkage.pension-certification.runs READ",
                        "TOPIC LITERAL linkage.pension-certification.runs DESCRIBE",
                        "SUBJECT LITERAL linkage.pension-certification.runs-value WRITE",
                        "TOPIC PREFIXED rs.linkage.pension-certification- CREATE",
                        "TOPIC PREFIXED rs.linkage.pension-certification- READ",
                        "TOPIC PREFIXED rs.linkage.pension-certification- WRITE",
                        "TOPIC PREFIXED rs.linkage.pension-certification- DESCRIBE",
                        "TOPIC PREFIXED rs.linkage.pension-certification- DELETE",
                        "TOPIC PREFIXED rs.linkage.pension-certification- DESCRIBE_CONFIGS");
    }

    @Test
    void onlyAScenariosOwnerMayWriteItsOutputsAndCreateTopicsOnlyUnderItsApplicationsPrefix() {
        List<Permission> desired = AccessPolicy.desired(catalogs(), departments(), List.of(), NOW);

        for (Permission p : desired) {
            if (p.name().startsWith("linkage.")) {
                String scenario = p.name().substring("linkage.".length()).replaceAll("(\\.runs)?(-value)?$", "");
                assertThat(city.heze.peony.schemas.LinkageScenario.byId(scenario))
                        .hasValueSatisfying(s -> assertThat(s.owner()).isEqualTo(p.department()));
            }
            if (p.operation() == Operation.CREATE || p.operation() == Operation.DELETE) {
                assertThat(p.pattern()).isEqualTo(Permission.PatternKind.PREFIXED);
                assertThat(p.name()).startsWith(p.department() + ".linkage.");
            }
        }
        assertThat(of(desired, "ga")).noneMatch(line -> line.contains("linkage"));
    }

    @Test
    void nobodyIsGivenAnotherDepartmentsRawTopicOrPeonysInternalTopics() {
        ShareGrant running = grant("A-1", "rs.pension", "mz", "rs", T0, NOW.plus(Duration.ofDays(1)));
        List<Permission> desired = AccessPolicy.desired(catalogs(), departments(), List.of(running), NOW);

        for (Permission p : desired) {
            if (p.name().startsWith("raw.")) {
                String catalog = p.name().substring(4).replaceAll("-value$", "");
                assertThat(catalog).startsWith(p.department() + ".");
                assertThat(p.operation()).isNotEqualTo(Operation.READ);
            }
            if (p.name().startsWith("peony.") && !p.name().equals("peony.catalog")) {
                assertThat(p.name()).matches("peony\\.share\\.(requests|decisions)\\." + p.department() + "(-value)?");
                assertThat(p.grounds()).isEqualTo(Grounds.SHARE_TOPICS);
                assertThat(p.operation()).isNotEqualTo(Operation.READ);
            }
            if (p.name().equals("peony.catalog")) {
                assertThat(p.operation()).isNotEqualTo(Operation.WRITE);
            }
            assertThat(p.name()).isNotEqualTo("_peony_schemas");
        }
    }

    @Test
    void conditionalAndNotSharedCatalogsOfOthersGiveNothingWithoutAGrant() {
        List<Permission> desired = AccessPolicy.desired(catalogs(), departments(), List.of(), NOW);

        for (String d : List.of("mz", "ga", "scjg")) {
            assertThat(of(desired, d))
                    .noneMatch(s -> s.contains("rs.pension") || s.contains("rs.internal"))
                    .noneMatch(s -> s.contains("scjg.unknown-type") && !d.equals("scjg"));
        }
        assertThat(of(desired, "ga")).noneMatch(s -> s.contains("mz.social-assistance"));
    }

    @Test
    void aRunningGrantGivesReadAndDescribeOfTheSharedTopicWithTheApplicationAsReason() {
        ShareGrant g = grant("A-17", "mz.social-assistance", "rs", "mz", T0, Instant.parse("2027-06-29T16:00:00Z"));
        List<Permission> desired = AccessPolicy.desired(catalogs(), departments(), List.of(g), NOW);

        List<Permission> fromGrant =
                desired.stream().filter(p -> p.grounds() == Grounds.APPLICATION).toList();
        assertThat(fromGrant)
                .extracting(Permission::department, Permission::name, Permission::operation)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rs", "shared.mz.social-assistance", Operation.READ),
                        org.assertj.core.groups.Tuple.tuple("rs", "shared.mz.social-assistance", Operation.DESCRIBE));
        assertThat(fromGrant.get(0).because())
                .isEqualTo("application A-17 approved by mz, valid until 2027-06-30 00:00 (Asia/Shanghai)");
        assertThat(fromGrant.get(0).kind()).isEqualTo(ResourceKind.TOPIC);
        assertThat(fromGrant.get(0).pattern()).isEqualTo(PatternKind.LITERAL);
    }

    @Test
    void aGrantGivesNothingBeforeApprovalFromItsValidUntilOnOrOnceEnded() {
        Instant until = NOW.plus(Duration.ofHours(1));
        ShareGrant notYet = grant("A-1", "mz.social-assistance", "rs", "mz", NOW.plusMillis(1), until);
        ShareGrant expiresNow = grant("A-2", "mz.social-assistance", "ga", "mz", T0, NOW);
        ShareGrant withdrawn = ended(
                grant("A-3", "mz.social-assistance", "scjg", "mz", T0, until),
                NOW.minusSeconds(5),
                ShareDecisionKind.WITHDRAWN);
        ShareGrant revoked = ended(
                grant("A-4", "rs.pension", "ga", "rs", T0, until), NOW.minusSeconds(5), ShareDecisionKind.REVOKED);

        List<Permission> desired =
                AccessPolicy.desired(catalogs(), departments(), List.of(notYet, expiresNow, withdrawn, revoked), NOW);

        assertThat(desired).noneMatch(p -> p.grounds() == Grounds.APPLICATION);
        // One millisecond earlier the expiring grant still runs; at the approval instant the new one does.
        assertThat(AccessPolicy.desired(catalogs(), departments(), List.of(expiresNow), NOW.minusMillis(1)))
                .anyMatch(p ->
                        p.grounds() == Grounds.APPLICATION && p.department().equals("ga"));
        assertThat(AccessPolicy.desired(catalogs(), departments(), List.of(notYet), NOW.plusMillis(1)))
                .anyMatch(p ->
                        p.grounds() == Grounds.APPLICATION && p.department().equals("rs"));
    }

    @Test
    void departmentsNotInTheDirectoryGetNothingEvenWithCatalogsOrGrants() {
        ShareGrant g = grant("A-9", "mz.social-assistance", "wj", "mz", T0, NOW.plusSeconds(60));
        List<Permission> desired =
                AccessPolicy.desired(catalogs(), List.of(AccessFixtures.department("mz")), List.of(g), NOW);

        assertThat(desired).allMatch(p -> p.department().equals("mz"));
        assertThat(AccessPolicy.desired(catalogs(), List.of(), List.of(g), NOW)).isEmpty();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new java.util.ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void theSameInputGivesTheSameListInTheSameOrder() {
        ShareGrant a = grant("A-1", "rs.pension", "mz", "rs", T0, NOW.plusSeconds(60));
        ShareGrant b = grant("A-2", "mz.social-assistance", "ga", "mz", T0, NOW.plusSeconds(60));
        List<Permission> one = AccessPolicy.desired(catalogs(), departments(), List.of(a, b), NOW);
        List<Permission> two = AccessPolicy.desired(reversed(catalogs()), reversed(departments()), List.of(b, a), NOW);
        assertThat(two).isEqualTo(one);
    }
}
