package city.heze.peony.streams.share;

import city.heze.peony.avro.common.ShareType;
import city.heze.peony.schemas.ClientConfigs;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How many working days a provider has to answer a share application (Shandong's rule
 * is 10; a county rule has 5 or 10): configuration, not code.
 *
 * <p>Precedence, first that is set wins:
 *
 * <ol>
 *   <li>the application's own {@code ShareRequest.deadlineWorkingDays} (a term fixed for this
 *       application, e.g. 5 days at the data authority's review because the data is already on
 *       the platform);
 *   <li>the catalog entry's {@code shareDeadlineWorkingDays}: the provider's published term, the one
 *       {@code peony catalog show} prints;
 *   <li>{@code peony.share.deadline.catalog.<id>=N}: for catalogs whose entries state none, without
 *       republishing them;
 *   <li>{@code peony.share.deadline.<SHARE_TYPE>=N};
 *   <li>the built-in defaults: CONDITIONAL 10, NOT_SHARED 10, UNCONDITIONAL none.
 * </ol>
 *
 * <p>Which catalogs take applications at all depends only on the share type: CONDITIONAL data needs
 * one; NOT_SHARED data (不予共享) may still be applied for with a legal basis, and the provider owes an
 * answer (most often a refusal with a reason) within the deadline; UNCONDITIONAL data (无条件共享) needs
 * no application, so a request for it is rejected as pointless — unless {@code
 * peony.share.deadline.UNCONDITIONAL=N} is configured, in which case such requests are tracked like any
 * other. A share type this build does not know (UNKNOWN, from a newer writer) is held to the
 * CONDITIONAL deadline. Immutable, thread-safe.
 */
public final class ShareDeadlines {
    /** The property prefix; also read from {@code --client-config} files by the command line. */
    public static final String PREFIX = "peony.share.deadline.";

    public static final String CATALOG_PREFIX = PREFIX + "catalog.";
    /** The value that says "no applications for this share type". */
    public static final String NONE = "none";
    /** Shandong's 电子政务和政务数据管理办法: the provider replies within 10 working days. */
    public static final int STATUTORY_DEFAULT = 10;
    /** About a year of working days: anything longer is a typo. */
    public static final int MAX_WORKING_DAYS = 250;

    /** Per share type; absent means the type takes no applications. */
    private final Map<ShareType, Integer> byType;

    private final Map<String, Integer> byCatalog;

    private ShareDeadlines(Map<ShareType, Integer> byType, Map<String, Integer> byCatalog) {
        this.byType = byType;
        this.byCatalog = byCatalog;
    }

    /** The built-in defaults: 10 working days for CONDITIONAL and NOT_SHARED, no applications for UNCONDITIONAL. */
    public static ShareDeadlines defaults() {
        return fromProperties(new Properties());
    }

    /**
     * The defaults overridden by the {@code peony.share.deadline.*} keys of {@code props}; other keys
     * are ignored, so a whole client-config file can be passed.
     *
     * @throws IllegalArgumentException naming the key, the value and what was expected
     */
    public static ShareDeadlines fromProperties(Properties props) {
        return fromMap(ClientConfigs.toMap(props));
    }

    /** The same from a config map (values are strings or numbers). */
    public static ShareDeadlines fromMap(Map<String, ?> configs) {
        Map<ShareType, Integer> byType = new EnumMap<>(ShareType.class);
        byType.put(ShareType.CONDITIONAL, STATUTORY_DEFAULT);
        byType.put(ShareType.NOT_SHARED, STATUTORY_DEFAULT);
        Map<String, Integer> byCatalog = new TreeMap<>();
        Integer unknown = null;
        boolean unknownSet = false;
        for (Map.Entry<String, ?> e : new TreeMap<>(configs).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String value = e.getValue() == null ? "" : e.getValue().toString().trim();
            if (key.startsWith(CATALOG_PREFIX)) {
                String catalogId = key.substring(CATALOG_PREFIX.length());
                if (catalogId.isEmpty()) {
                    throw new IllegalArgumentException(key + ": expected a catalog id after '" + CATALOG_PREFIX
                            + "', e.g. " + CATALOG_PREFIX + "mz.social-assistance=5");
                }
                byCatalog.put(catalogId, workingDays(key, value, false));
                continue;
            }
            String typeName = key.substring(PREFIX.length());
            ShareType type = shareType(key, typeName);
            Integer days = workingDays(key, value, true);
            if (type == ShareType.UNKNOWN) {
                unknown = days;
                unknownSet = true;
            } else if (days == null) {
                byType.remove(type);
            } else {
                byType.put(type, days);
            }
        }
        // A share type from a newer writer: held to the CONDITIONAL deadline unless told otherwise.
        if (!unknownSet) {
            unknown = byType.get(ShareType.CONDITIONAL);
        }
        if (unknown == null) {
            byType.remove(ShareType.UNKNOWN);
        } else {
            byType.put(ShareType.UNKNOWN, unknown);
        }
        return new ShareDeadlines(byType, Map.copyOf(byCatalog));
    }

    private static ShareType shareType(String key, String name) {
        try {
            return ShareType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": unknown share type '" + name
                    + "'; expected " + PREFIX + "CONDITIONAL, NOT_SHARED, UNCONDITIONAL or UNKNOWN, or "
                    + CATALOG_PREFIX + "<catalog id>");
        }
    }

    private static Integer workingDays(String key, String value, boolean noneAllowed) {
        if (noneAllowed && value.equalsIgnoreCase(NONE)) {
            return null;
        }
        String expected = "expected a whole number of working days from 1 to " + MAX_WORKING_DAYS
                + (noneAllowed ? ", or '" + NONE + "' for no applications" : "");
        int days;
        try {
            days = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": " + expected);
        }
        if (days < 1 || days > MAX_WORKING_DAYS) {
            throw new IllegalArgumentException(key + "=" + value + ": " + expected);
        }
        return days;
    }

    /**
     * The working days the provider has to answer one application.
     *
     * @param catalogId the catalog applied for
     * @param shareType the catalog's share type
     * @param catalogDays the catalog entry's {@code shareDeadlineWorkingDays}, or null
     * @param requestDays the application's {@code deadlineWorkingDays}, or null
     * @throws InvalidShareEvent when the catalog takes no applications or a value is out of range
     */
    public int workingDays(String catalogId, ShareType shareType, Integer catalogDays, Integer requestDays) {
        ShareType type = shareType == null ? ShareType.UNKNOWN : shareType;
        Integer typeDays = byType.get(type);
        if (typeDays == null) {
            throw new InvalidShareEvent(
                    "share.no-application-needed",
                    "catalogId",
                    "catalog '" + catalogId + "' is shared " + type
                            + ": any department may read it without an application, so none is tracked"
                            + " (set " + PREFIX + type + "=N to track them anyway)");
        }
        if (requestDays != null) {
            if (requestDays < 1 || requestDays > MAX_WORKING_DAYS) {
                throw new InvalidShareEvent(
                        "share.deadline-working-days",
                        "deadlineWorkingDays",
                        "deadlineWorkingDays is " + requestDays + "; expected 1 to " + MAX_WORKING_DAYS
                                + ", or null for the catalog's deadline");
            }
            return requestDays;
        }
        if (catalogDays != null && catalogDays >= 1 && catalogDays <= MAX_WORKING_DAYS) {
            return catalogDays;
        }
        Integer configured = byCatalog.get(catalogId);
        return configured != null ? configured : typeDays;
    }

    /** Whether applications for catalogs of this share type are tracked at all. */
    public boolean takesApplications(ShareType shareType) {
        return byType.containsKey(shareType == null ? ShareType.UNKNOWN : shareType);
    }

    @Override
    public String toString() {
        return "ShareDeadlines" + byType + (byCatalog.isEmpty() ? "" : " catalogs " + byCatalog);
    }
}
