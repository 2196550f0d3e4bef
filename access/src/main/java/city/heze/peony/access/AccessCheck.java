package city.heze.peony.access;

import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.schemas.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Answers "may department D do OP on R?" from the desired permissions, with the reason either way:
 * the rule that allows it, or why nothing does. Used by {@code peony access check} and by the
 * registry before it lets a department register a subject.
 *
 * <p>Resources are written {@code topic:NAME}, {@code group:NAME} or {@code subject:NAME}; a name
 * without a prefix is a topic (so {@code raw.x-value} is the topic, {@code subject:raw.x-value} the
 * subject: catalog ids may contain dashes, so the suffix alone cannot tell them apart).
 */
public final class AccessCheck {
    private final Map<String, CatalogEntry> catalogs = new TreeMap<>();

    /** A check that knows no catalogs: denials of shared topics then give no catalog-specific reason. */
    public AccessCheck() {}

    /** A check that names the catalog's share type when it denies a {@code shared.*} topic. */
    public AccessCheck(Collection<CatalogEntry> catalogs) {
        catalogs.forEach(c -> this.catalogs.put(c.getId(), c));
    }

    /** The answer, and the rule (or missing rule) behind it. */
    public record Verdict(boolean allowed, String reason) {
        @Override
        public String toString() {
            return (allowed ? "allowed: " : "denied: ") + reason;
        }
    }

    /** A resource as the user writes it: see the class comment for the form. */
    public record Resource(ResourceKind kind, String name) {
        public Resource {
            Objects.requireNonNull(kind, "kind");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("resource name is empty");
            }
        }

        /** Parses {@code topic:NAME}, {@code group:NAME}, {@code subject:NAME} or a bare topic name. */
        public static Resource parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(
                        "resource is empty: expected a topic name, group:NAME or subject:NAME");
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                return new Resource(ResourceKind.TOPIC, text);
            }
            String kind = text.substring(0, colon).toUpperCase(Locale.ROOT);
            for (ResourceKind k : ResourceKind.values()) {
                if (k.name().equals(kind)) {
                    return new Resource(k, text.substring(colon + 1));
                }
            }
            throw new IllegalArgumentException("resource '" + text
                    + "' has an unknown kind '" + text.substring(0, colon)
                    + "': expected topic:NAME, group:NAME or subject:NAME");
        }

        @Override
        public String toString() {
            return kind == ResourceKind.TOPIC ? name : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
        }
    }

    /** {@link #check(String, Resource, Operation, List)} with the resource in its written form. */
    public Verdict check(String department, String resource, Operation op, List<Permission> desired) {
        return check(department, Resource.parse(resource), op, desired);
    }

    /** Allowed with the {@code because} of the first permission that covers it, else denied with why. */
    public Verdict check(String department, Resource resource, Operation op, List<Permission> desired) {
        boolean known = false;
        for (Permission p : desired) {
            if (p.department().equals(department)) {
                known = true;
                if (p.covers(resource.kind(), resource.name(), op)) {
                    return new Verdict(true, p.because());
                }
            }
        }
        if (!known) {
            return new Verdict(
                    false,
                    "unknown department " + department + ": it is not in " + Topics.DEPARTMENTS.name()
                            + " (add it with peony department add)");
        }
        String none = "no rule gives " + department + " " + op + " on " + resource + ": ";
        return new Verdict(false, none + whyNot(department, resource, op));
    }

    private String whyNot(String department, Resource resource, Operation op) {
        String name = resource.name();
        if (PublicReader.isReserved(department)) {
            return "the public reader only reads " + Topics.OPEN_PREFIX + "* through consumer groups "
                    + PublicReader.GROUP_PREFIX + "*, and writes nothing";
        }
        switch (resource.kind()) {
            case GROUP:
                return "consumer groups of " + department + " start with " + Topics.groupPrefixOf(department);
            case TRANSACTIONAL_ID:
                return "transactional ids of " + department + " start with " + Topics.groupPrefixOf(department);
            case SUBJECT:
                if (name.startsWith(Topics.RAW_PREFIX) && name.endsWith("-value")) {
                    return "subjects are registered only by the provider of their catalog";
                }
                return "departments register only the raw.<catalog>-value subjects of their own catalogs";
            case TOPIC:
            default:
                break;
        }
        if (Topics.SHARE_REQUESTS_INGRESS_PATTERN.matcher(name).matches()
                || Topics.SHARE_DECISIONS_INGRESS_PATTERN.matcher(name).matches()) {
            return "only " + Topics.departmentOfIngress(name) + " writes to its share topic " + name;
        }
        if (name.startsWith(Topics.INTERNAL_PREFIX) || name.equals(Topics.SCHEMAS.name())) {
            return "internal topic of Peony";
        }
        if (name.startsWith(Topics.RAW_PREFIX)) {
            CatalogEntry own = catalogs.get(name.substring(Topics.RAW_PREFIX.length()));
            if (own != null && own.getDepartment().equals(department)) {
                return "a provider writes its raw topics; only Peony's validation reads them";
            }
            return "raw topics are written and read only by their provider";
        }
        if (name.startsWith(Topics.SHARED_PREFIX)) {
            if (op == Operation.WRITE) {
                return "shared topics are written only by Peony's validation";
            }
            String id = name.substring(Topics.SHARED_PREFIX.length());
            CatalogEntry c = catalogs.get(id);
            if (c == null) {
                return catalogs.isEmpty()
                        ? "shared topics are read by their provider, by everyone for unconditional"
                                + " catalogs, and with an approved share application for conditional ones"
                        : "there is no catalog " + id;
            }
            if (c.getShareType() == ShareType.CONDITIONAL) {
                return "conditional catalog " + id + " needs an approved share application";
            }
            if (c.getShareType() == ShareType.NOT_SHARED) {
                return "catalog " + id + " is not shared (不予共享)";
            }
            return "catalog " + id + " is " + c.getShareType();
        }
        return "topics outside raw.*, shared.* and a department's share topics are not given to departments";
    }
}
