package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.streams.linkage.ReviewFact.Evidence;
import city.heze.peony.streams.linkage.ReviewFact.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The review's rules: a resident's flags as a pure function of the resident's facts and the
 * thresholds, so that the same set of facts gives the same flags whatever order they arrived in.
 * Flags come out ordered by kind, each flag's evidence by catalog then record key.
 */
final class ReviewFlags {
    /** The flag kinds a review can hold, in output order. */
    static final List<ReviewFlagKind> KINDS = List.of(
            ReviewFlagKind.VEHICLE,
            ReviewFlagKind.BUSINESS,
            ReviewFlagKind.EMPLOYED,
            ReviewFlagKind.PENSION,
            ReviewFlagKind.DECEASED);

    private final LinkageSettings settings;
    private final String vehicleRule;
    private final String pensionRule;

    ReviewFlags(LinkageSettings settings) {
        this.settings = settings;
        this.vehicleRule =
                "vehicles owned >= " + settings.vehicleCount() + " (" + LinkageSettings.VEHICLE_COUNT_CONFIG + ")";
        this.pensionRule = "ACTIVE pension with monthlyPensionFen >= " + settings.pensionFen() + " ("
                + LinkageSettings.PENSION_FEN_CONFIG + ")";
    }

    /** The flags of a resident with {@code facts} (ordered by kind then key, as {@link FactSet} keeps them). */
    List<Flag> of(List<ReviewFact> facts) {
        List<Flag> flags = new ArrayList<>(2);
        List<Evidence> vehicles = evidence(facts, Kind.VEHICLE, 0);
        if (vehicles.size() >= settings.vehicleCount()) {
            flags.add(new Flag(ReviewFlagKind.VEHICLE, vehicleRule, vehicles));
        }
        add(
                flags,
                ReviewFlagKind.BUSINESS,
                "legal representative of an ACTIVE business with no deregistration",
                evidence(facts, Kind.BUSINESS, 0));
        add(
                flags,
                ReviewFlagKind.EMPLOYED,
                "employment registration with no endDate",
                evidence(facts, Kind.EMPLOYMENT, 0));
        add(flags, ReviewFlagKind.PENSION, pensionRule, evidence(facts, Kind.PENSION, settings.pensionFen()));
        add(flags, ReviewFlagKind.DECEASED, "death registration exists", evidence(facts, Kind.DEATH, 0));
        return flags;
    }

    private static void add(List<Flag> flags, ReviewFlagKind kind, String rule, List<Evidence> evidence) {
        if (!evidence.isEmpty()) {
            flags.add(new Flag(kind, rule, evidence));
        }
    }

    /** The evidence of the active facts of {@code kind} with {@code number >= atLeast}, by catalog then key. */
    private static List<Evidence> evidence(List<ReviewFact> facts, Kind kind, long atLeast) {
        List<Evidence> out = List.of();
        for (ReviewFact f : facts) {
            if (f.kind() == kind && f.active() && f.number() >= atLeast) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(f.evidence());
            }
        }
        if (out.size() > 1) {
            out.sort(Evidence::compareByCatalogAndKey);
        }
        return out;
    }

    /**
     * What identifies a set of flags: kinds and evidence keys, not offsets, so that the same record
     * sent again changes nothing. Empty for no flags.
     */
    static String signature(List<Flag> flags) {
        if (flags.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(64);
        for (Flag f : flags) {
            s.append(f.kind.name()).append(':');
            for (Evidence e : f.evidence) {
                s.append(e.catalogId()).append('/').append(e.recordKey()).append(',');
            }
            s.append(';');
        }
        return s.toString();
    }

    /** The kinds of {@code flags}, a bit per {@link ReviewFlagKind} ordinal. */
    static int kinds(List<Flag> flags) {
        int bits = 0;
        for (Flag f : flags) {
            bits |= 1 << f.kind.ordinal();
        }
        return bits;
    }

    /** One flag before it becomes Avro. */
    record Flag(ReviewFlagKind kind, String rule, List<Evidence> evidence) {
        ReviewFlag toAvro() {
            List<LinkageEvidence> avro = new ArrayList<>(evidence.size());
            for (Evidence e : evidence) {
                avro.add(e.toAvro());
            }
            return ReviewFlag.newBuilder()
                    .setKind(kind)
                    .setRule(rule)
                    .setEvidence(avro)
                    .build();
        }
    }
}
