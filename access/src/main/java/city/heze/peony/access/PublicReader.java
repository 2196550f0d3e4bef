package city.heze.peony.access;

import city.heze.peony.access.Permission.Grounds;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.PatternKind;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.schemas.Topics;
import java.util.List;

/**
 * The public on a secured stack: the principal {@code User:public}, whose password is no secret
 * ({@code peony up --secure} writes it to a world-readable client file), may read the opened
 * catalogs ({@code open.*}) and nothing else. It reads through consumer groups named {@code
 * public.*}; it writes nothing, not even a registry subject, and reads schemas as every signed-in
 * principal does. Because anyone may hold its password, {@code public} can never be a department.
 */
public final class PublicReader {
    /** The principal's name, reserved: no department may take it. */
    public static final String CODE = "public";
    /** The prefix of the public's consumer groups: {@code public.<anything>}. */
    public static final String GROUP_PREFIX = Topics.groupPrefixOf(CODE);

    private static final String BECAUSE = "open data: anyone may read open.*";

    private static final List<Permission> PERMISSIONS = List.of(
            new Permission(
                    CODE,
                    ResourceKind.TOPIC,
                    Topics.OPEN_PREFIX,
                    PatternKind.PREFIXED,
                    Operation.READ,
                    Grounds.OPEN_DATA,
                    BECAUSE),
            new Permission(
                    CODE,
                    ResourceKind.TOPIC,
                    Topics.OPEN_PREFIX,
                    PatternKind.PREFIXED,
                    Operation.DESCRIBE,
                    Grounds.OPEN_DATA,
                    BECAUSE),
            new Permission(
                    CODE,
                    ResourceKind.GROUP,
                    GROUP_PREFIX,
                    PatternKind.PREFIXED,
                    Operation.READ,
                    Grounds.OPEN_DATA,
                    "the public's consumer groups"));

    private PublicReader() {}

    /** Everything the public may do: read and describe {@code open.*}, read through groups {@code public.*}. */
    public static List<Permission> permissions() {
        return PERMISSIONS;
    }

    /** Whether {@code code} is the public's, which no department may use. */
    public static boolean isReserved(String code) {
        return CODE.equals(code);
    }
}
