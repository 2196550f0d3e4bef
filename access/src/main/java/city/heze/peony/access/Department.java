package city.heze.peony.access;

import city.heze.peony.avro.DepartmentEntry;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.util.Objects;

/** A department that signs in to Peony as the Kafka principal {@code User:<code>}. */
public record Department(String code, String name, Instant addedAt) {
    public Department {
        Topics.requireDepartmentCode(code);
        if (PublicReader.isReserved(code)) {
            // Anyone may hold the public's password: a department by that name would be everybody's.
            throw new IllegalArgumentException(
                    "department code " + code + " is reserved for the public reader of open data");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addedAt, "addedAt");
    }

    /** The Kafka principal the department signs in as. */
    public String principal() {
        return "User:" + code;
    }

    static Department of(DepartmentEntry entry) {
        return new Department(entry.getCode(), entry.getName(), entry.getAddedAt());
    }

    DepartmentEntry toEntry() {
        return DepartmentEntry.newBuilder()
                .setCode(code)
                .setName(name)
                .setAddedAt(addedAt)
                .build();
    }
}
