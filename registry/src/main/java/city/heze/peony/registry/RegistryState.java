package city.heze.peony.registry;

import city.heze.peony.registry.RegistryEvent.CompatibilityChanged;
import city.heze.peony.registry.RegistryEvent.ModeChanged;
import city.heze.peony.registry.RegistryEvent.SchemaIdsReserved;
import city.heze.peony.registry.RegistryEvent.SchemaVersionErased;
import city.heze.peony.registry.RegistryEvent.SchemaVersionStored;
import city.heze.peony.registry.RegistryEvent.SubjectDeleted;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.registry.SubjectVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry's state in memory, rebuilt from {@link RegistryEvent}s. Not thread-safe: {@link
 * SchemaRegistry} guards it. Applying an event never fails on content already accepted by a
 * registry; an event it cannot use is reported to the caller, which skips it.
 */
final class RegistryState {
    private final Map<String, NavigableMap<Integer, StoredVersion>> subjects = new TreeMap<>();
    private final Map<Integer, ParsedAvroSchema> schemasById = new HashMap<>();
    private final Map<Integer, Set<SubjectVersion>> usagesById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Map<String, RegistryMode> subjectModes = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
    private RegistryMode globalMode = RegistryMode.READWRITE;
    private int maxId;

    /**
     * @throws SchemaRegistryException 42201 when a stored schema does not parse; the id is still
     *     counted as used
     */
    void apply(RegistryEvent event) {
        if (event instanceof SchemaVersionStored stored) {
            maxId = Math.max(maxId, stored.id());
            store(stored);
        } else if (event instanceof SchemaVersionErased erased) {
            erase(erased.subject(), erased.version());
        } else if (event instanceof SubjectDeleted deleted) {
            NavigableMap<Integer, StoredVersion> history = subjects.get(deleted.subject());
            if (history != null) {
                history.headMap(deleted.upToVersion(), true).replaceAll((v, stored) -> stored.softDeleted());
            }
        } else if (event instanceof CompatibilityChanged changed) {
            if (changed.subject() == null) {
                globalLevel = changed.level() == null ? CompatibilityLevel.DEFAULT : changed.level();
            } else if (changed.level() == null) {
                subjectLevels.remove(changed.subject());
            } else {
                subjectLevels.put(changed.subject(), changed.level());
            }
        } else if (event instanceof ModeChanged changed) {
            if (changed.subject() == null) {
                globalMode = changed.mode() == null ? RegistryMode.READWRITE : changed.mode();
            } else if (changed.mode() == null) {
                subjectModes.remove(changed.subject());
            } else {
                subjectModes.put(changed.subject(), changed.mode());
            }
        } else if (event instanceof SchemaIdsReserved reserved) {
            maxId = Math.max(maxId, reserved.maxId());
        }
    }

    private void store(SchemaVersionStored stored) {
        ParsedAvroSchema known = schemasById.get(stored.id());
        ParsedAvroSchema parsed = known != null && known.canonical().equals(stored.schema())
                ? known
                : ParsedAvroSchema.parse(stored.schema());
        NavigableMap<Integer, StoredVersion> history = subjects.computeIfAbsent(stored.subject(), s -> new TreeMap<>());
        StoredVersion previous = history.put(
                stored.version(),
                new StoredVersion(stored.subject(), stored.version(), stored.id(), parsed, stored.deleted()));
        if (previous != null && previous.id() != stored.id()) {
            release(previous);
        }
        schemasById.putIfAbsent(stored.id(), parsed);
        idsByCanonical.putIfAbsent(parsed.canonical(), stored.id());
        usagesById
                .computeIfAbsent(stored.id(), id -> new TreeSet<>(SchemaRegistry.SUBJECT_VERSION_ORDER))
                .add(new SubjectVersion(stored.subject(), stored.version()));
    }

    private void erase(String subject, int version) {
        NavigableMap<Integer, StoredVersion> history = subjects.get(subject);
        if (history == null) {
            return;
        }
        StoredVersion removed = history.remove(version);
        if (history.isEmpty()) {
            subjects.remove(subject);
        }
        if (removed != null) {
            release(removed);
        }
    }

    /** Forgets a schema id once no version (live or soft-deleted) uses it any more. */
    private void release(StoredVersion gone) {
        Set<SubjectVersion> usages = usagesById.get(gone.id());
        if (usages == null) {
            return;
        }
        usages.remove(new SubjectVersion(gone.subject(), gone.version()));
        if (usages.isEmpty()) {
            usagesById.remove(gone.id());
            ParsedAvroSchema schema = schemasById.remove(gone.id());
            if (schema != null) {
                idsByCanonical.remove(schema.canonical(), gone.id());
            }
        }
    }

    /** Every version of the subject, soft-deleted ones included; empty when it has none. */
    NavigableMap<Integer, StoredVersion> history(String subject) {
        NavigableMap<Integer, StoredVersion> history = subjects.get(subject);
        return history == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(history);
    }

    List<String> subjectNames(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, history) -> {
            if (includeDeleted || history.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(name);
            }
        });
        return names;
    }

    boolean hasSubjects() {
        return !subjects.isEmpty();
    }

    ParsedAvroSchema schemaById(int id) {
        return schemasById.get(id);
    }

    Optional<Integer> idOf(String canonical) {
        return Optional.ofNullable(idsByCanonical.get(canonical));
    }

    /** Every subject version using the id, soft-deleted ones included, in subject then version order. */
    List<StoredVersion> usages(int id) {
        List<StoredVersion> result = new ArrayList<>();
        for (SubjectVersion usage : usagesById.getOrDefault(id, Set.of())) {
            StoredVersion version = subjects.get(usage.subject()).get(usage.version());
            result.add(version);
        }
        return result;
    }

    int maxId() {
        return maxId;
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    RegistryMode globalMode() {
        return globalMode;
    }

    Optional<RegistryMode> subjectMode(String subject) {
        return Optional.ofNullable(subjectModes.get(subject));
    }
}
