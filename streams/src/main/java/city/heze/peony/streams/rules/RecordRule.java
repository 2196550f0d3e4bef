package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import org.apache.avro.generic.GenericRecord;

/** One catalog rule compiled against one schema: field positions resolved, parameters parsed. */
interface RecordRule {

    /**
     * The failure, or {@code null} when the record satisfies the rule. Null rather than an Optional
     * or a list: this runs for every rule of every record, and a pass must cost nothing.
     */
    RuleFailure check(GenericRecord record);
}
