package city.heze.peony.access;

import city.heze.peony.schemas.Topics;
import java.util.Locale;
import java.util.Objects;

/**
 * One thing a department may do, and why: the unit of Peony's desired access. TOPIC and GROUP
 * permissions become Kafka ACLs; SUBJECT permissions are enforced by the schema registry.
 *
 * @param department the department code (the principal is {@code User:<department>})
 * @param kind what kind of resource {@code name} names
 * @param name the resource name, or its prefix when {@code pattern} is PREFIXED
 * @param pattern whether {@code name} is the whole name or a prefix
 * @param operation what the department may do on it
 * @param grounds the rule that gives it, for metrics and for grouping
 * @param because the rule in words, e.g. "application A-17 approved by mz, valid until ..."
 */
public record Permission(
        String department,
        ResourceKind kind,
        String name,
        PatternKind pattern,
        Operation operation,
        Grounds grounds,
        String because) {

    public Permission {
        Topics.requireDepartmentCode(department);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(grounds, "grounds");
        Objects.requireNonNull(because, "because");
    }

    /** The kinds of resource a department is given access to. */
    public enum ResourceKind {
        TOPIC,
        GROUP,
        /** A producer's {@code transactional.id}, for all-or-nothing publication. */
        TRANSACTIONAL_ID,
        /** A registry subject: checked by Peony's registry, not by Kafka. */
        SUBJECT
    }

    /** How {@link #name()} matches, as Kafka's LITERAL and PREFIXED resource patterns. */
    public enum PatternKind {
        LITERAL,
        PREFIXED
    }

    /** The operations Peony grants. */
    public enum Operation {
        READ,
        WRITE,
        DESCRIBE,
        /** Creating topics: a linkage scenario's internal topics, under its department's prefix. */
        CREATE,
        /** Deleting records: Kafka Streams purges what its repartition topics have delivered. */
        DELETE,
        /** Reading topic configs: Kafka Streams validates its internal topics' settings on start. */
        DESCRIBE_CONFIGS
    }

    /** The rule behind a permission; the lower-case name is the metrics tag. */
    public enum Grounds {
        OWN_CATALOG,
        UNCONDITIONAL,
        APPLICATION,
        GROUPS,
        /** Transactional ids under the department's prefix: {@code peony publish --all-or-nothing}. */
        TRANSACTIONS,
        SHARE_TOPICS,
        /** Read access to {@code peony.catalog}, which every department applies against. */
        CATALOG_DIRECTORY,
        /**
         * A linkage scenario the department owns (docs/linkage.md): writing its outputs, and the
         * internal topics of its Kafka Streams application under {@code <code>.linkage.}.
         */
        LINKAGE,
        /** The public reader's read access to the opened catalogs, {@code open.*} ({@link PublicReader}). */
        OPEN_DATA;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Kafka principal of the department. */
    public String principal() {
        return "User:" + department;
    }

    /** Whether this permission covers {@code operation} on the resource {@code kind}/{@code resourceName}. */
    public boolean covers(ResourceKind resourceKind, String resourceName, Operation op) {
        if (kind != resourceKind || operation != op) {
            return false;
        }
        return pattern == PatternKind.LITERAL ? name.equals(resourceName) : resourceName.startsWith(name);
    }
}
