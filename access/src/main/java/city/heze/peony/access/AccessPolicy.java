package city.heze.peony.access;

import city.heze.peony.access.Permission.Grounds;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.PatternKind;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The access every department should have, computed from the catalogs, the departments and the
 * share grants: Peony's desired state, which {@link AclReconciler} makes true on the broker. A pure
 * function: the same inputs give the same permissions in the same order.
 *
 * <p>What it never gives is as important as what it gives: no department gets another's {@code
 * raw.*}, any of Peony's internal topics ({@code peony.*}, {@code _peony_schemas}) beyond its own
 * share ingress topics and the catalog directory {@code peony.catalog}, or a conditional catalog's shared topic without a running approval.
 */
public final class AccessPolicy {
    /** Validity ends are shown in the city's time zone, as the providers set them. */
    public static final ZoneId CITY_ZONE = ZoneId.of("Asia/Shanghai");

    /** How the {@code because} of an application's permission starts: the application id follows. */
    public static final String APPLICATION_BECAUSE_PREFIX = "application ";

    private static final DateTimeFormatter VALID_UNTIL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(CITY_ZONE);

    private AccessPolicy() {}

    /** The permissions of every department in {@code departments} at {@code now}. */
    public static List<Permission> desired(
            Collection<CatalogEntry> catalogs,
            Collection<Department> departments,
            Collection<ShareGrant> grants,
            Instant now) {
        List<CatalogEntry> sortedCatalogs = catalogs.stream()
                .filter(c -> Topics.CATALOG_ID.matcher(c.getId()).matches())
                .sorted(Comparator.comparing(CatalogEntry::getId))
                .toList();
        List<ShareGrant> sortedGrants = grants.stream()
                .sorted(Comparator.comparing(ShareGrant::getApplicationId))
                .toList();
        List<Permission> out = new ArrayList<>();
        departments.stream()
                .sorted(Comparator.comparing(Department::code))
                .forEach(d -> forDepartment(d.code(), sortedCatalogs, sortedGrants, now, out));
        return List.copyOf(out);
    }

    /**
     * What the access service makes true on a secured stack: {@link #desired} of the departments,
     * then the public reader's read access to {@code open.*} ({@link PublicReader}).
     */
    public static List<Permission> withPublicReader(
            Collection<CatalogEntry> catalogs,
            Collection<Department> departments,
            Collection<ShareGrant> grants,
            Instant now) {
        List<Permission> out = new ArrayList<>(desired(catalogs, departments, grants, now));
        out.addAll(PublicReader.permissions());
        return List.copyOf(out);
    }

    /** Whether a grant gives access at {@code now}: approved, not yet expired, not ended early. */
    public static boolean isRunning(ShareGrant grant, Instant now) {
        return grant.getEndedAt() == null && !grant.getApprovedAt().isAfter(now) && now.isBefore(grant.getValidUntil());
    }

    private static void forDepartment(
            String code, List<CatalogEntry> catalogs, List<ShareGrant> grants, Instant now, List<Permission> out) {
        for (CatalogEntry c : catalogs) {
            if (c.getDepartment().equals(code)) {
                String because = "own catalog " + c.getId();
                String raw = Topics.raw(c.getId());
                out.add(topic(code, raw, Operation.WRITE, Grounds.OWN_CATALOG, because));
                out.add(topic(code, raw, Operation.DESCRIBE, Grounds.OWN_CATALOG, because));
                readShared(code, c.getId(), Grounds.OWN_CATALOG, because, out);
                out.add(new Permission(
                        code,
                        ResourceKind.SUBJECT,
                        Topics.rawValueSubject(c.getId()),
                        PatternKind.LITERAL,
                        Operation.WRITE,
                        Grounds.OWN_CATALOG,
                        because));
            }
        }
        for (CatalogEntry c : catalogs) {
            if (!c.getDepartment().equals(code) && c.getShareType() == ShareType.UNCONDITIONAL) {
                readShared(code, c.getId(), Grounds.UNCONDITIONAL, "unconditional catalog " + c.getId(), out);
            }
        }
        for (ShareGrant g : grants) {
            if (g.getGrantee().equals(code)
                    && isRunning(g, now)
                    && Topics.CATALOG_ID.matcher(g.getCatalogId()).matches()) {
                String because = APPLICATION_BECAUSE_PREFIX + g.getApplicationId() + " approved by " + g.getProvider()
                        + ", valid until " + VALID_UNTIL.format(g.getValidUntil()) + " (" + CITY_ZONE + ")";
                readShared(code, g.getCatalogId(), Grounds.APPLICATION, because, out);
            }
        }
        // Departments apply against the catalog directory, so they read it (docs/security.md).
        out.add(topic(code, Topics.CATALOG.name(), Operation.READ, Grounds.CATALOG_DIRECTORY, "the catalog directory"));
        out.add(topic(
                code, Topics.CATALOG.name(), Operation.DESCRIBE, Grounds.CATALOG_DIRECTORY, "the catalog directory"));
        out.add(new Permission(
                code,
                ResourceKind.GROUP,
                Topics.groupPrefixOf(code),
                PatternKind.PREFIXED,
                Operation.READ,
                Grounds.GROUPS,
                "own consumer groups"));
        // peony publish --all-or-nothing names its transactions <code>.publish-...; nobody else's.
        for (Operation op : List.of(Operation.WRITE, Operation.DESCRIBE)) {
            out.add(new Permission(
                    code,
                    ResourceKind.TRANSACTIONAL_ID,
                    Topics.groupPrefixOf(code),
                    PatternKind.PREFIXED,
                    op,
                    Grounds.TRANSACTIONS,
                    "own transactional ids"));
        }
        for (LinkageScenario scenario : LinkageScenario.values()) {
            if (scenario.owner().equals(code)) {
                linkage(code, scenario, out);
            }
        }
        for (PeonyTopic t : Topics.shareIngressTopicsOf(code)) {
            String because = t.name().equals(Topics.shareRequestsOf(code))
                    ? "own share applications"
                    : "own share decisions, withdrawals and revocations";
            out.add(topic(code, t.name(), Operation.WRITE, Grounds.SHARE_TOPICS, because));
            out.add(topic(code, t.name(), Operation.DESCRIBE, Grounds.SHARE_TOPICS, because));
            // A Confluent-style serializer registers under <topic>-value; Peony's share ingress decodes
            // whatever schema it names into ShareRequest/ShareDecision, or rejects the record.
            out.add(new Permission(
                    code,
                    ResourceKind.SUBJECT,
                    t.name() + "-value",
                    PatternKind.LITERAL,
                    Operation.WRITE,
                    Grounds.SHARE_TOPICS,
                    because));
        }
    }

    /**
     * What the owner needs to run a linkage scenario under its own principal ({@code peony linkage
     * run NAME --client-config ...}): write and read its outputs and register their schemas, and
     * use its Kafka Streams application's internal topics ({@code <code>.linkage.<scenario>-...}).
     * Its inputs are read on the usual grounds: own or unconditional catalogs, and approved
     * applications for conditional ones, so a revoked application stops the scenario.
     */
    private static void linkage(String code, LinkageScenario scenario, List<Permission> out) {
        String because = "runs linkage " + scenario.id();
        for (PeonyTopic t : scenario.outputs()) {
            for (Operation op : List.of(Operation.WRITE, Operation.READ, Operation.DESCRIBE)) {
                out.add(topic(code, t.name(), op, Grounds.LINKAGE, because));
            }
            out.add(new Permission(
                    code,
                    ResourceKind.SUBJECT,
                    t.name() + "-value",
                    PatternKind.LITERAL,
                    Operation.WRITE,
                    Grounds.LINKAGE,
                    because));
        }
        String internal = scenario.departmentApplicationId() + "-";
        for (Operation op : List.of(
                Operation.CREATE,
                Operation.READ,
                Operation.WRITE,
                Operation.DESCRIBE,
                Operation.DELETE,
                Operation.DESCRIBE_CONFIGS)) {
            out.add(new Permission(
                    code,
                    ResourceKind.TOPIC,
                    internal,
                    PatternKind.PREFIXED,
                    op,
                    Grounds.LINKAGE,
                    because + ": its application's internal topics"));
        }
    }

    private static void readShared(
            String code, String catalogId, Grounds grounds, String because, List<Permission> out) {
        String shared = Topics.shared(catalogId);
        out.add(topic(code, shared, Operation.READ, grounds, because));
        out.add(topic(code, shared, Operation.DESCRIBE, grounds, because));
    }

    private static Permission topic(String code, String name, Operation op, Grounds grounds, String because) {
        return new Permission(code, ResourceKind.TOPIC, name, PatternKind.LITERAL, op, grounds, because);
    }
}
