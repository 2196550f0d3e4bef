package city.heze.peony.access;

import static city.heze.peony.access.AccessFixtures.T0;
import static city.heze.peony.access.AccessFixtures.catalogs;
import static city.heze.peony.access.AccessFixtures.departments;
import static city.heze.peony.access.AccessFixtures.ended;
import static city.heze.peony.access.AccessFixtures.grant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.access.AccessCheck.Resource;
import city.heze.peony.access.AccessCheck.Verdict;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareDecisionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessCheckTest {
    private static final Instant NOW = T0.plus(Duration.ofDays(10));
    private static final ShareGrant RS_READS_MZ =
            grant("A-17", "mz.social-assistance", "rs", "mz", T0, Instant.parse("2027-06-29T16:00:00Z"));
    private static final ShareGrant GA_EXPIRED =
            grant("A-18", "mz.social-assistance", "ga", "mz", T0, NOW.minusSeconds(1));
    private static final ShareGrant SCJG_REVOKED = ended(
            grant("A-19", "rs.pension", "scjg", "rs", T0, NOW.plusSeconds(3600)),
            NOW.minusSeconds(1),
            ShareDecisionKind.REVOKED);

    private final List<Permission> desired =
            AccessPolicy.desired(catalogs(), departments(), List.of(RS_READS_MZ, GA_EXPIRED, SCJG_REVOKED), NOW);
    private final AccessCheck check = new AccessCheck(catalogs());

    private Verdict check(String department, String resource, Operation op) {
        return check.check(department, resource, op, desired);
    }

    @Test
    void allowedCellsNameTheRuleThatAllowsThem() {
        assertThat(check("mz", "raw.mz.social-assistance", Operation.WRITE))
                .isEqualTo(new Verdict(true, "own catalog mz.social-assistance"));
        assertThat(check("mz", "shared.ga.household-registration", Operation.READ))
                .isEqualTo(new Verdict(true, "unconditional catalog ga.household-registration"));
        assertThat(check("rs", "shared.mz.social-assistance", Operation.READ))
                .isEqualTo(new Verdict(
                        true, "application A-17 approved by mz, valid until 2027-06-30 00:00 (Asia/Shanghai)"));
        assertThat(check("ga", "group:ga.dashboard", Operation.READ))
                .isEqualTo(new Verdict(true, "own consumer groups"));
        assertThat(check("ga", "peony.catalog", Operation.READ)).isEqualTo(new Verdict(true, "the catalog directory"));
        assertThat(check("scjg", "peony.share.requests.scjg", Operation.WRITE))
                .isEqualTo(new Verdict(true, "own share applications"));
        assertThat(check("mz", "subject:raw.mz.social-assistance-value", Operation.WRITE)
                        .allowed())
                .isTrue();
    }

    @Test
    void deniedCellsSayWhy() {
        assertThat(check("mz", "raw.rs.pension", Operation.READ))
                .isEqualTo(new Verdict(
                        false,
                        "no rule gives mz READ on raw.rs.pension: raw topics are written and read only by their"
                                + " provider"));
        assertThat(check("mz", "raw.rs.pension", Operation.WRITE).reason())
                .endsWith("raw topics are written and read only by their provider");
        assertThat(check("mz", "raw.mz.social-assistance", Operation.READ).reason())
                .endsWith("a provider writes its raw topics; only Peony's validation reads them");
        assertThat(check("mz", "peony.catalog", Operation.WRITE).reason()).endsWith("internal topic of Peony");
        assertThat(check("mz", "peony.share.grants", Operation.READ).reason()).endsWith("internal topic of Peony");
        assertThat(check("mz", "peony.rejected", Operation.READ).reason()).endsWith("internal topic of Peony");
        assertThat(check("mz", "_peony_schemas", Operation.READ).reason()).endsWith("internal topic of Peony");
        assertThat(check("mz", "shared.rs.pension", Operation.READ))
                .isEqualTo(new Verdict(
                        false,
                        "no rule gives mz READ on shared.rs.pension: conditional catalog rs.pension needs an"
                                + " approved share application"));
        assertThat(check("mz", "shared.rs.internal", Operation.DESCRIBE).reason())
                .endsWith("is not shared (不予共享)");
        assertThat(check("ga", "shared.mz.social-assistance", Operation.READ).reason())
                .endsWith("conditional catalog mz.social-assistance needs an approved share application");
        assertThat(check("scjg", "shared.rs.pension", Operation.READ).allowed()).isFalse();
        assertThat(check("mz", "shared.mz.social-assistance", Operation.WRITE).reason())
                .endsWith("shared topics are written only by Peony's validation");
        assertThat(check("mz", "group:rs.app", Operation.READ).reason())
                .endsWith("consumer groups of mz start with mz.");
        assertThat(check("mz", "peony.share.decisions.rs", Operation.WRITE).reason())
                .endsWith("only rs writes to its share topic peony.share.decisions.rs");
        assertThat(check("mz", "subject:raw.rs.pension-value", Operation.WRITE).reason())
                .endsWith("subjects are registered only by the provider of their catalog");
        assertThat(check("wj", "shared.ga.household-registration", Operation.READ))
                .isEqualTo(new Verdict(
                        false,
                        "unknown department wj: it is not in peony.departments (add it with peony department add)"));
    }

    @Test
    void aBareNameIsATopicAndPrefixesNameGroupsAndSubjects() {
        assertThat(Resource.parse("raw.mz.x-value")).isEqualTo(new Resource(ResourceKind.TOPIC, "raw.mz.x-value"));
        assertThat(Resource.parse("topic:shared.a")).isEqualTo(new Resource(ResourceKind.TOPIC, "shared.a"));
        assertThat(Resource.parse("group:mz.app")).isEqualTo(new Resource(ResourceKind.GROUP, "mz.app"));
        assertThat(Resource.parse("subject:raw.a-value")).isEqualTo(new Resource(ResourceKind.SUBJECT, "raw.a-value"));
        assertThatThrownBy(() -> Resource.parse("table:x"))
                .hasMessage("resource 'table:x' has an unknown kind 'table': expected topic:NAME, group:NAME or"
                        + " subject:NAME");
        // the topic raw.mz.social-assistance-value is not the subject, and nobody may write such a topic
        assertThat(check("mz", "raw.mz.social-assistance-value", Operation.WRITE)
                        .allowed())
                .isFalse();
    }
}
