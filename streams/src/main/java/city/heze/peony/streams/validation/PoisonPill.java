package city.heze.peony.streams.validation;

import city.heze.peony.avro.common.RejectionKind;

/**
 * A record that never reaches the catalog's rules, with the fixed rule id its rejection carries
 * (so that {@code peony dlq list --rule poison.not-avro} finds them) and its rejection kind.
 */
enum PoisonPill {
    /** No magic byte 0 or shorter than the 5-byte header: not Confluent's wire format. */
    NOT_AVRO("poison.not-avro", RejectionKind.NOT_AVRO),
    /** The header's schema id is not in the registry. */
    UNKNOWN_SCHEMA("poison.unknown-schema", RejectionKind.UNKNOWN_SCHEMA),
    /** {@code raw.<id>} names no catalog on {@code peony.catalog}. */
    NO_SUCH_CATALOG("poison.no-such-catalog", RejectionKind.NO_SUCH_CATALOG),
    /** The catalog exists but cannot be applied (a rule or schema Peony cannot use). */
    UNUSABLE_CATALOG("poison.catalog-unusable", RejectionKind.NO_SUCH_CATALOG),
    /** The writer's schema is not the catalog's. */
    WRONG_SCHEMA("poison.wrong-schema", RejectionKind.WRONG_SCHEMA),
    /** The bytes do not match the writer's schema. */
    UNDECODABLE("poison.undecodable", RejectionKind.UNDECODABLE);

    private final String ruleId;
    private final RejectionKind kind;

    PoisonPill(String ruleId, RejectionKind kind) {
        this.ruleId = ruleId;
        this.kind = kind;
    }

    String ruleId() {
        return ruleId;
    }

    RejectionKind kind() {
        return kind;
    }
}
