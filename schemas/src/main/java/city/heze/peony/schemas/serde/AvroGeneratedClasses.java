package city.heze.peony.schemas.serde;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro load generated record and enum classes by the names in their schemas.
 *
 * <p>Since 1.12 Avro refuses to load any class named in a schema unless it is trusted (only
 * java.lang and java.math types by default, more through the {@code
 * org.apache.avro.SERIALIZABLE_PACKAGES} system property), which breaks reading SpecificRecords: the
 * reader finds nested records and enums by name. Classes Avro's own compiler generated (annotated
 * {@link AvroGenerated}) are plain data holders, so trusting them keeps the protection against
 * schemas that name arbitrary classes while making every generated contract readable. The serdes
 * call {@link #trust()}; code that reads SpecificRecords without them can call it too.
 */
public final class AvroGeneratedClasses {
    private static final AtomicBoolean TRUSTED = new AtomicBoolean();

    private AvroGeneratedClasses() {}

    /** Adds generated classes to Avro's trusted classes, keeping whatever was trusted before; idempotent. */
    public static void trust() {
        if (TRUSTED.compareAndSet(false, true)) {
            ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(before, type -> type.isAnnotationPresent(AvroGenerated.class)));
        }
    }
}
