package city.heze.peony.producers.simulate;

import java.util.Locale;

/**
 * What the simulator writes into a record of an OPEN catalog that must then be withheld from opening
 * (issue 16): personal information in a free-text field that is opened as it is, where a careless
 * clerk types it. Validation passes such a record (free text has no rule), so it is shared; the
 * open checks must withhold it. A blank required-for-opening field is not planted: in the shipped
 * catalogs every field required for opening is also checked by a blocking validation rule, so such
 * a record would be rejected before it is shared, and never be due for opening.
 */
public enum OpenPlantKind {
    /** A mobile number, e.g. "联系电话13912345678", caught by the open.mobile check. */
    MOBILE_IN_TEXT,
    /** A complete resident ID with a valid check character, caught by the open.resident-id check. */
    RESIDENT_ID_IN_TEXT;

    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name reports use, e.g. {@code mobile-in-text}. */
    public String label() {
        return label;
    }
}
