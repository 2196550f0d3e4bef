package city.heze.peony.streams.linkage;

import city.heze.peony.streams.linkage.ReviewFact.Evidence;
import city.heze.peony.streams.linkage.ReviewFact.Kind;
import java.time.LocalDate;
import java.util.SortedMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The seven shared catalogs the review reads, and what each record says: whom it is about (the
 * resident ID, or the credit code for the two business catalogs, which meet by credit code first),
 * and the fact with the fields a caseworker needs to see, under their schema names.
 */
enum ReviewSource {
    RECIPIENTS("mz.social-assistance", Kind.RECIPIENT, "residentId") {
        @Override
        ReviewFact fact(GenericRecord r, String key, Evidence e) {
            return new ReviewFact(kind, key, true, true, 0, null, text(r, "name"), text(r, "regionCode"), e);
        }

        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "assistanceType");
            put(out, r, "monthlyAmountFen");
            put(out, r, "approvedOn");
        }
    },
    VEHICLES("ga.vehicle-registration", Kind.VEHICLE, "ownerResidentId") {
        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "ownerResidentId");
            put(out, r, "plateNumber");
            put(out, r, "registeredOn");
        }
    },
    BUSINESS_REGISTRATIONS("scjg.business-registration", Kind.BUSINESS_REGISTRATION, "creditCode") {
        @Override
        ReviewFact fact(GenericRecord r, String key, Evidence e) {
            Long updatedAt = SharedRecordReader.number(r, "updatedAt");
            String representative = text(r, "legalRepresentativeId");
            return new ReviewFact(
                    kind,
                    key,
                    true,
                    "ACTIVE".equals(text(r, "status")),
                    updatedAt == null ? 0 : updatedAt,
                    representative == null || representative.isBlank() ? null : representative,
                    null,
                    null,
                    e);
        }

        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "creditCode");
            put(out, r, "entityName");
            put(out, r, "legalRepresentativeId");
            put(out, r, "status");
        }
    },
    BUSINESS_DEREGISTRATIONS("scjg.business-deregistration", Kind.BUSINESS_DEREGISTRATION, "creditCode") {
        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "creditCode");
            put(out, r, "kind");
            put(out, r, "effectiveOn");
        }
    },
    EMPLOYMENT("rs.employment-registration", Kind.EMPLOYMENT, "residentId") {
        @Override
        ReviewFact fact(GenericRecord r, String key, Evidence e) {
            // An employment that ended (endDate set) is kept as an inactive fact: it clears the flag.
            return new ReviewFact(kind, key, true, value(r, "endDate") == null, 0, null, null, null, e);
        }

        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "employerCreditCode");
            put(out, r, "employerName");
            put(out, r, "startDate");
            put(out, r, "endDate");
        }
    },
    PENSIONS("rs.pension-recipients", Kind.PENSION, "residentId") {
        @Override
        ReviewFact fact(GenericRecord r, String key, Evidence e) {
            // The threshold is applied when flags are computed, so the fact keeps the amount.
            Long fen = SharedRecordReader.number(r, "monthlyPensionFen");
            return new ReviewFact(
                    kind, key, true, "ACTIVE".equals(text(r, "status")), fen == null ? 0 : fen, null, null, null, e);
        }

        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "status");
            put(out, r, "monthlyPensionFen");
        }
    },
    DEATHS("wj.death-registration", Kind.DEATH, "residentId") {
        @Override
        void fields(GenericRecord r, SortedMap<String, String> out) {
            put(out, r, "deathDate");
            put(out, r, "certificateNo");
        }
    };

    final String catalogId;
    final Kind kind;
    /** The field the record is routed by: a resident ID, or the credit code for the business catalogs. */
    final String subjectField;

    ReviewSource(String catalogId, Kind kind, String subjectField) {
        this.catalogId = catalogId;
        this.kind = kind;
        this.subjectField = subjectField;
    }

    /** Records without it are skipped with this reason. */
    String missingSubjectReason() {
        return "creditCode".equals(subjectField) ? "no-credit-code" : "no-resident-id";
    }

    /** Whom the record is about, or null when the field is absent or blank. */
    String subjectOf(GenericRecord r) {
        String s = text(r, subjectField);
        return s == null || s.isBlank() ? null : s;
    }

    /** The fact the record states, keyed by the record key; by default one that holds. */
    ReviewFact fact(GenericRecord r, String key, Evidence e) {
        return new ReviewFact(kind, key, true, true, 0, null, null, null, e);
    }

    /** Adds the fields that trigger the fact, as text (dates yyyy-MM-dd, amounts in fen). */
    abstract void fields(GenericRecord r, SortedMap<String, String> out);

    static String text(GenericRecord r, String field) {
        return SharedRecordReader.text(r, field);
    }

    static Object value(GenericRecord r, String field) {
        return r.hasField(field) ? r.get(field) : null;
    }

    /** The field as a person reads it; absent and null fields are left out. */
    static void put(SortedMap<String, String> out, GenericRecord r, String field) {
        Object v = value(r, field);
        if (v == null) {
            return;
        }
        if (v instanceof LocalDate d) {
            out.put(field, d.toString());
        } else if (v instanceof Integer days
                && isDateSchema(r.getSchema().getField(field).schema())) {
            out.put(field, LocalDate.ofEpochDay(days).toString());
        } else {
            out.put(field, v.toString());
        }
    }

    private static boolean isDateSchema(org.apache.avro.Schema schema) {
        if (schema.getType() == org.apache.avro.Schema.Type.UNION) {
            for (org.apache.avro.Schema s : schema.getTypes()) {
                if (isDateSchema(s)) {
                    return true;
                }
            }
            return false;
        }
        return schema.getLogicalType() != null
                && "date".equals(schema.getLogicalType().getName());
    }
}
