package city.heze.peony.streams.opendata;

import city.heze.peony.avro.common.RuleFailure;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Opening one record of a compiled OPEN catalog: mask it, then check what masking left. The
 * topology's opener does this per record; the simulator checks and the benchmark use it directly.
 * Holds the checks' scratch buffer: one per thread.
 */
public final class RecordOpening {
    private final OpenChecks checks = new OpenChecks();

    /**
     * What became of one record.
     *
     * @param open the masked record (also when withheld, for the caller's own checks; never published then)
     * @param reasons the failed checks; null when the record may be opened
     */
    public record Result(GenericRecord open, List<RuleFailure> reasons) {
        public boolean opened() {
            return reasons == null;
        }
    }

    /**
     * @param catalog a usable catalog ({@link OpenCatalog#usable()})
     * @param source a record decoded into the catalog's schema ({@link OpenCatalog#schema()})
     */
    public Result open(OpenCatalog catalog, GenericRecord source) {
        GenericRecord open = catalog.masking().mask(source);
        return new Result(open, checks.check(open, source, catalog));
    }
}
