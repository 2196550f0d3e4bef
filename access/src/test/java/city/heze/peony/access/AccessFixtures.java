package city.heze.peony.access;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Catalogs, departments and grants for the access tests: four departments, every share type. */
final class AccessFixtures {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private AccessFixtures() {}

    /**
     * A started broker with Kafka's authorizer on plain listeners: ACLs are stored and listed, and
     * the tests' anonymous clients are super users.
     */
    static EmbeddedKafkaBroker brokerWithAuthorizer(Path dataDir) {
        return EmbeddedKafkaBroker.create(
                        dataDir,
                        0,
                        Map.of(
                                "authorizer.class.name",
                                "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                                "allow.everyone.if.no.acl.found",
                                "true",
                                "super.users",
                                "User:ANONYMOUS"))
                .start();
    }

    static CatalogEntry catalog(String id, String department, ShareType shareType) {
        return CatalogEntry.newBuilder()
                .setId(id)
                .setResourceCode("RC-" + id)
                .setName("目录 " + id)
                .setDepartment(department)
                .setSchema$(
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"recordId\",\"type\":\"string\"}]}")
                .setShareType(shareType)
                .setOpenType(OpenType.NOT_OPEN)
                .setUpdateCycle(UpdateCycle.DAILY)
                .setFieldRules(List.of())
                .setPublishedAt(T0)
                .build();
    }

    static Department department(String code) {
        return new Department(code, "部门 " + code, T0);
    }

    static ShareGrant grant(
            String applicationId,
            String catalogId,
            String grantee,
            String provider,
            Instant approvedAt,
            Instant validUntil) {
        return ShareGrant.newBuilder()
                .setApplicationId(applicationId)
                .setCatalogId(catalogId)
                .setGrantee(grantee)
                .setProvider(provider)
                .setApprovedAt(approvedAt)
                .setValidUntil(validUntil)
                .build();
    }

    static ShareGrant ended(ShareGrant grant, Instant endedAt, ShareDecisionKind by) {
        return ShareGrant.newBuilder(grant).setEndedAt(endedAt).setEndedBy(by).build();
    }

    /** mz, rs, ga, scjg; each owns catalogs of several share types. */
    static List<CatalogEntry> catalogs() {
        return List.of(
                catalog("mz.social-assistance", "mz", ShareType.CONDITIONAL),
                catalog("mz.death-registration", "mz", ShareType.UNCONDITIONAL),
                catalog("rs.pension", "rs", ShareType.CONDITIONAL),
                catalog("rs.internal", "rs", ShareType.NOT_SHARED),
                catalog("ga.household-registration", "ga", ShareType.UNCONDITIONAL),
                catalog("scjg.business-registration", "scjg", ShareType.UNCONDITIONAL),
                catalog("scjg.unknown-type", "scjg", ShareType.UNKNOWN));
    }

    static List<Department> departments() {
        return List.of(department("mz"), department("rs"), department("ga"), department("scjg"));
    }
}
