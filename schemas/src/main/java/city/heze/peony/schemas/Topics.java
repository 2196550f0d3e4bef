package city.heze.peony.schemas;

import city.heze.peony.schemas.PeonyTopic.CleanupPolicy;
import java.util.List;
import java.util.regex.Pattern;

/** Every topic of Peony, in one place (the topic table is in docs/architecture.md). */
public final class Topics {
    /** Catalog entries keyed by catalog id; compacted, so the latest entry per catalog stays. */
    public static final PeonyTopic CATALOG =
            new PeonyTopic("peony.catalog", CleanupPolicy.COMPACT, 1, "catalog entries, keyed by catalog id");
    /** The dead-letter topic: one {@code Rejection} per record that failed validation. */
    public static final PeonyTopic REJECTED =
            new PeonyTopic("peony.rejected", CleanupPolicy.DELETE, 3, "rejected records with their reasons");
    /** Quality scorecards per department, catalog and window. */
    public static final PeonyTopic QUALITY =
            new PeonyTopic("peony.quality", CleanupPolicy.DELETE, 1, "quality scorecards");

    public static final PeonyTopic SHARE_REQUESTS =
            new PeonyTopic("peony.share.requests", CleanupPolicy.DELETE, 3, "share applications");
    public static final PeonyTopic SHARE_DECISIONS = new PeonyTopic(
            "peony.share.decisions", CleanupPolicy.DELETE, 3, "providers' answers to share applications");
    public static final PeonyTopic SHARE_OUTCOMES =
            new PeonyTopic("peony.share.outcomes", CleanupPolicy.COMPACT, 3, "one outcome per share application");
    public static final PeonyTopic SHARE_RATES = new PeonyTopic(
            "peony.share.rates", CleanupPolicy.COMPACT, 1, "timely-share rates per provider, catalog and period");
    /**
     * One grant per approved share application (who may read which shared topic until when);
     * compacted, so a restart replays exactly the current grants.
     */
    public static final PeonyTopic SHARE_GRANTS = new PeonyTopic(
            "peony.share.grants", CleanupPolicy.COMPACT, 3, "access granted by approved share applications");
    /** The departments that sign in, keyed by department code; compacted, a tombstone removes one. */
    public static final PeonyTopic DEPARTMENTS =
            new PeonyTopic("peony.departments", CleanupPolicy.COMPACT, 1, "departments and their principals");
    /**
     * The ACL bindings Peony's access reconciler created, keyed by the binding: what it owns, so it
     * never removes an ACL somebody else created.
     */
    public static final PeonyTopic ACCESS_ACLS =
            new PeonyTopic("peony.access.acls", CleanupPolicy.COMPACT, 1, "ACL bindings owned by Peony");
    /**
     * 社会救助资格核对: per social-assistance recipient, the facts in other departments' shared data
     * that contradict eligibility; keyed by resident ID, compacted (the latest flags per recipient).
     */
    public static final PeonyTopic LINKAGE_SOCIAL_ASSISTANCE_REVIEW = new PeonyTopic(
            "linkage.social-assistance-review", CleanupPolicy.COMPACT, 3, "social-assistance review flags");
    /** 养老金静默认证: each pensioner's certification status; keyed by resident ID, compacted. */
    public static final PeonyTopic LINKAGE_PENSION_CERTIFICATION =
            new PeonyTopic("linkage.pension-certification", CleanupPolicy.COMPACT, 3, "pension certification statuses");
    /** The monthly certification run per district; keyed by {@code yyyy-MM|district}, compacted. */
    public static final PeonyTopic LINKAGE_CERTIFICATION_RUNS = new PeonyTopic(
            "linkage.pension-certification.runs",
            CleanupPolicy.COMPACT,
            1,
            "certification counts per month and district");

    /**
     * Shared records of OPEN catalogs that the open-data topology did not open, each with its reasons
     * and no record content.
     */
    public static final PeonyTopic OPEN_WITHHELD = new PeonyTopic(
            "peony.open.withheld", CleanupPolicy.DELETE, 3, "records withheld from opening, with reasons");
    /** The open-qualified rate (开放合格率) per department, catalog and period; compacted. */
    public static final PeonyTopic OPEN_RATES = new PeonyTopic(
            "peony.open.rates", CleanupPolicy.COMPACT, 1, "open-qualified rates per department, catalog and period");

    /** The embedded schema registry's storage: one partition, so one total order of writes. */
    public static final PeonyTopic SCHEMAS =
            new PeonyTopic("_peony_schemas", CleanupPolicy.COMPACT, 1, "schema registry storage");

    /** The topics {@code peony up} creates before anything else runs. */
    public static final List<PeonyTopic> SYSTEM_TOPICS = List.of(
            CATALOG,
            REJECTED,
            QUALITY,
            SHARE_REQUESTS,
            SHARE_DECISIONS,
            SHARE_OUTCOMES,
            SHARE_RATES,
            SHARE_GRANTS,
            DEPARTMENTS,
            ACCESS_ACLS,
            LINKAGE_SOCIAL_ASSISTANCE_REVIEW,
            LINKAGE_PENSION_CERTIFICATION,
            LINKAGE_CERTIFICATION_RUNS,
            OPEN_WITHHELD,
            OPEN_RATES,
            SCHEMAS);

    /**
     * Prefix of every topic only Peony itself may use (its internal topics); the registry's storage
     * {@code _peony_schemas} is internal too.
     */
    public static final String INTERNAL_PREFIX = "peony.";

    /** Where a department submits its share applications: only it may write there. */
    public static final String SHARE_REQUESTS_INGRESS_PREFIX = SHARE_REQUESTS.name() + ".";
    /** Where a department answers (or withdraws, or revokes) share applications: only it may write there. */
    public static final String SHARE_DECISIONS_INGRESS_PREFIX = SHARE_DECISIONS.name() + ".";

    public static final Pattern SHARE_REQUESTS_INGRESS_PATTERN =
            Pattern.compile(Pattern.quote(SHARE_REQUESTS_INGRESS_PREFIX) + "[a-z][a-z0-9]*");
    public static final Pattern SHARE_DECISIONS_INGRESS_PATTERN =
            Pattern.compile(Pattern.quote(SHARE_DECISIONS_INGRESS_PREFIX) + "[a-z][a-z0-9]*");

    /** Department codes: lower-case letters and digits, starting with a letter, e.g. {@code mz}, {@code scjg}. */
    public static final Pattern DEPARTMENT_CODE = Pattern.compile("[a-z][a-z0-9]{0,31}");

    public static final String RAW_PREFIX = "raw.";
    public static final String SHARED_PREFIX = "shared.";
    /** Prefix of the linkage scenarios' outputs, owned by the department that runs each scenario. */
    public static final String LINKAGE_PREFIX = "linkage.";

    /** Prefix of the opened (masked, public) topics: {@code open.<catalog>}. */
    public static final String OPEN_PREFIX = "open.";

    /** Matches every shared catalog topic, for topologies that subscribe by pattern. */
    public static final Pattern SHARED_PATTERN = Pattern.compile(Pattern.quote(SHARED_PREFIX) + ".+");

    /** Matches every raw catalog topic, for topologies that subscribe by pattern. */
    public static final Pattern RAW_PATTERN = Pattern.compile(Pattern.quote(RAW_PREFIX) + ".+");

    /**
     * Catalog ids are slugs that are valid in a topic name: lower-case letters, digits, dots and
     * dashes, starting with a letter, e.g. {@code mz.social-assistance}.
     */
    public static final Pattern CATALOG_ID = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");

    private Topics() {}

    /** The topic a department publishes a catalog's records to. */
    public static String raw(String catalogId) {
        return RAW_PREFIX + requireCatalogId(catalogId);
    }

    /**
     * The registry subject of a catalog's record schema: {@code raw.<id>-value} (topic-name strategy).
     * The id is not checked: the validation topology names the subject of whatever raw topic it
     * reads, and must not fail on a stray one.
     */
    public static String rawValueSubject(String catalogId) {
        return RAW_PREFIX + catalogId + "-value";
    }

    /** The topic validated records of a catalog are shared on. */
    public static String shared(String catalogId) {
        return SHARED_PREFIX + requireCatalogId(catalogId);
    }

    /** The topic the opened (masked) records of a catalog are published on. */
    public static String open(String catalogId) {
        return OPEN_PREFIX + requireCatalogId(catalogId);
    }

    /** The registry subject of a catalog's open record schema: {@code open.<id>-value}. */
    public static String openValueSubject(String catalogId) {
        return OPEN_PREFIX + catalogId + "-value";
    }

    /** The catalog id of a {@code shared.<id>} topic. */
    public static String catalogOfShared(String sharedTopic) {
        if (!sharedTopic.startsWith(SHARED_PREFIX)) {
            throw new IllegalArgumentException("not a shared catalog topic: " + sharedTopic);
        }
        return sharedTopic.substring(SHARED_PREFIX.length());
    }

    /** The catalog id of a {@code raw.<id>} topic. */
    public static String catalogOfRaw(String rawTopic) {
        if (!rawTopic.startsWith(RAW_PREFIX)) {
            throw new IllegalArgumentException("not a raw catalog topic: " + rawTopic);
        }
        return rawTopic.substring(RAW_PREFIX.length());
    }

    /** The topic department {@code code} writes its share applications to. */
    public static String shareRequestsOf(String department) {
        return SHARE_REQUESTS_INGRESS_PREFIX + requireDepartmentCode(department);
    }

    /** The topic department {@code code} writes its decisions (and withdrawals, revocations) to. */
    public static String shareDecisionsOf(String department) {
        return SHARE_DECISIONS_INGRESS_PREFIX + requireDepartmentCode(department);
    }

    /**
     * The two topics a department writes share traffic to, as Peony creates them (three partitions,
     * like the topics they feed; keyed by application id).
     */
    public static List<PeonyTopic> shareIngressTopicsOf(String department) {
        return List.of(
                new PeonyTopic(
                        shareRequestsOf(department),
                        CleanupPolicy.DELETE,
                        SHARE_REQUESTS.partitions(),
                        "share applications submitted by " + department),
                new PeonyTopic(
                        shareDecisionsOf(department),
                        CleanupPolicy.DELETE,
                        SHARE_DECISIONS.partitions(),
                        "decisions, withdrawals and revocations by " + department));
    }

    /** The department of a per-department ingress topic ({@code peony.share.requests.<dept>} or decisions). */
    public static String departmentOfIngress(String topic) {
        for (String prefix : List.of(SHARE_REQUESTS_INGRESS_PREFIX, SHARE_DECISIONS_INGRESS_PREFIX)) {
            if (topic.startsWith(prefix)) {
                return topic.substring(prefix.length());
            }
        }
        throw new IllegalArgumentException("not a per-department share topic: " + topic);
    }

    /** Consumer groups of a department start with {@code <code>.}: the prefix its ACLs allow. */
    public static String groupPrefixOf(String department) {
        return requireDepartmentCode(department) + ".";
    }

    public static String requireDepartmentCode(String code) {
        if (code == null || !DEPARTMENT_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("department code '" + code
                    + "' is not valid: expected 1 to 32 lower-case letters and digits, starting with a letter"
                    + " (for example mz)");
        }
        return code;
    }

    public static String requireCatalogId(String catalogId) {
        if (catalogId == null
                || catalogId.length() > 200
                || !CATALOG_ID.matcher(catalogId).matches()) {
            throw new IllegalArgumentException("catalog id '" + catalogId
                    + "' is not a valid slug: expected lower-case letters, digits, '.' and '-', starting with a letter"
                    + " (for example mz.social-assistance)");
        }
        return catalogId;
    }
}
