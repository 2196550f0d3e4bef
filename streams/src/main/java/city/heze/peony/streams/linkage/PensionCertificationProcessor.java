package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.streams.linkage.CertificationFact.Kind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Certifies each resident from everything the three catalogs say about them, in the resident's own
 * task (inputs arrive keyed by resident ID).
 *
 * <p>Every fact is kept under {@code residentId\0kind\0recordKey} ({@link
 * PensionCertificationTopology#FACTS_STORE}): the latest version per record key, whatever came
 * first. Settlements are also put into the versioned store ({@link
 * PensionCertificationTopology#SETTLEMENTS_STORE}) under the resident at their settledAt, so that the
 * latest sign of life as of the end of the check date is one lookup. After every fact the resident is
 * certified again from the stored facts alone, so the result is a function of the set of records,
 * not of their arrival order; a late death or a late settlement simply changes that result.
 *
 * <p>Choices that keep the result order-independent when a resident has several records of a kind:
 * the pension record that counts is the one with the latest updatedAt (then the greatest record key);
 * the death registration the one with the earliest death date (then the least record key); of two
 * settlements at the same instant the one with the least record key.
 *
 * <p>Outputs go to two children: the certification (or a tombstone) to {@link
 * PensionCertificationTopology#CERTIFICATIONS}, and the run changes (one pensioner out of a
 * month/district/status, one into another) to {@link PensionCertificationTopology#RUN_CHANGES}. Only a
 * change of status, check date or evidence content is written (the stored {@link
 * CertificationState} holds a signature of the last one), so a record sent again changes nothing.
 */
final class PensionCertificationProcessor implements Processor<String, CertificationFact, String, Object> {
    private static final Serializer<String> PREFIX = new StringSerializer();

    private final LinkageSettings settings;
    private final CertificationMeters meters;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, CertificationFact> facts;
    private VersionedKeyValueStore<String, CertificationFact> settlements;
    private KeyValueStore<String, CertificationState> states;

    PensionCertificationProcessor(LinkageSettings settings, CertificationMeters meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.facts = context.getStateStore(PensionCertificationTopology.FACTS_STORE);
        this.settlements = context.getStateStore(PensionCertificationTopology.SETTLEMENTS_STORE);
        this.states = context.getStateStore(PensionCertificationTopology.STATES_STORE);
    }

    static String factKey(String residentId, Kind kind, String recordKey) {
        return new StringBuilder(residentId.length() + 3 + recordKey.length())
                .append(residentId)
                .append('\0')
                .append(kind.code)
                .append('\0')
                .append(recordKey)
                .toString();
    }

    private static String prefix(String residentId, Kind kind) {
        return residentId + '\0' + kind.code + '\0';
    }

    @Override
    public void process(Record<String, CertificationFact> record) {
        CertificationFact fact = record.value();
        String residentId = record.key();
        if (fact == null || residentId == null) {
            return;
        }
        String key = factKey(residentId, fact.kind(), fact.recordKey());
        CertificationFact old = facts.get(key);
        if (fact.withdrawn()) {
            if (old == null) {
                return;
            }
            facts.delete(key);
            if (fact.kind() == Kind.SETTLEMENT) {
                unsettle(residentId, old);
            }
        } else {
            facts.put(key, fact);
            if (fact.kind() == Kind.SETTLEMENT) {
                if (old != null && old.time() != fact.time()) {
                    unsettle(residentId, old); // the same settlement, corrected to another time
                }
                settle(residentId, fact);
            }
        }
        certify(residentId, record.timestamp());
    }

    /** Puts a settlement at its settledAt, unless a settlement with a lesser key holds that instant. */
    private void settle(String residentId, CertificationFact settlement) {
        VersionedRecord<CertificationFact> at = settlements.get(residentId, settlement.time());
        if (at != null
                && at.timestamp() == settlement.time()
                && !at.value().withdrawn()
                && at.value().recordKey().compareTo(settlement.recordKey()) < 0) {
            return;
        }
        // Older than the history retention (relative to the newest settlement seen): not kept, and
        // outside every window a current check date can ask about.
        settlements.put(residentId, settlement, settlement.time());
    }

    /**
     * Takes a settlement that left the resident out of the versioned history. A version cannot be
     * removed, only replaced at the same instant: by another settlement of the resident at that
     * instant, or else by a withdrawal marker, which lookups step over to the version before it (a
     * delete would put a tombstone there that hides the earlier settlements too).
     */
    private void unsettle(String residentId, CertificationFact gone) {
        long t = gone.time();
        VersionedRecord<CertificationFact> at = settlements.get(residentId, t);
        if (at == null || at.timestamp() != t || !at.value().recordKey().equals(gone.recordKey())) {
            return; // it never held that instant (a lesser key did, or it was past the retention)
        }
        CertificationFact heir = null;
        try (KeyValueIterator<String, CertificationFact> all =
                facts.prefixScan(prefix(residentId, Kind.SETTLEMENT), PREFIX)) {
            while (all.hasNext()) {
                CertificationFact other = all.next().value;
                if (other.time() == t
                        && !other.recordKey().equals(gone.recordKey())
                        && (heir == null || other.recordKey().compareTo(heir.recordKey()) < 0)) {
                    heir = other;
                }
            }
        }
        settlements.put(
                residentId, heir != null ? heir : CertificationFact.withdrawal(Kind.SETTLEMENT, residentId, ""), t);
    }

    /** The latest settlement at or before {@code asOf}, stepping over withdrawal markers. */
    private CertificationFact signOfLife(String residentId, long asOf) {
        VersionedRecord<CertificationFact> r = settlements.get(residentId, asOf);
        while (r != null && r.value().withdrawn()) {
            r = settlements.get(residentId, r.timestamp() - 1);
        }
        return r == null ? null : r.value();
    }

    private void certify(String residentId, long timestamp) {
        CertificationFact pension = latestPension(residentId);
        CertificationState before = states.get(residentId);
        if (pension == null || !pension.active()) {
            if (before != null) {
                states.delete(residentId);
                context.forward(new Record<>(residentId, null, timestamp), PensionCertificationTopology.CERTIFICATIONS);
                meters.output(context.currentSystemTimeMs(), timestamp);
                runChange(before.runKey(), before.status(), -1, timestamp);
            }
            return;
        }
        LocalDate checkDate = settings.checkDate() != null
                ? settings.checkDate()
                : LocalDate.ofInstant(Instant.ofEpochMilli(pension.time()), CityZone.ZONE);
        CertificationFact death = earliestDeath(residentId);
        CertificationFact settlement = null;
        CertificationStatus status;
        if (death != null) {
            status = CertificationStatus.SUSPEND;
        } else {
            settlement = signOfLife(residentId, endOf(checkDate));
            if (settlement != null && settlement.time() >= windowStart(checkDate, settings.signOfLifeWindow())) {
                status = CertificationStatus.CERTIFIED;
            } else {
                settlement = null;
                status = CertificationStatus.NEEDS_VISIT;
            }
        }
        CertificationFact evidence = death != null ? death : settlement;
        StringBuilder signature = new StringBuilder(256)
                .append(status.name())
                .append('\0')
                .append(checkDate)
                .append('\n');
        pension.sign(signature);
        if (evidence != null) {
            evidence.sign(signature);
        }
        String signed = signature.toString();
        if (before != null && before.signature().equals(signed)) {
            return;
        }
        String district = pension.regionCode().substring(0, 6);
        String runKey = runKey(checkDate, district);
        PensionCertification certification = PensionCertification.newBuilder()
                .setResidentId(residentId)
                .setName(pension.name())
                .setRegionCode(pension.regionCode())
                .setDistrict(district)
                .setCheckDate(checkDate)
                .setStatus(status)
                .setDeathDate(death == null ? null : death.deathDate())
                .setMonthsPaidAfterDeath(death == null ? null : monthsPaidAfter(death.deathDate(), checkDate))
                .setLastSignOfLife(settlement == null ? null : Instant.ofEpochMilli(settlement.time()))
                .setPension(pension.evidence())
                .setEvidence(evidence == null ? List.<LinkageEvidence>of() : List.of(evidence.evidence()))
                .build();
        states.put(residentId, new CertificationState(runKey, status, signed));
        context.forward(
                new Record<>(residentId, certification, timestamp), PensionCertificationTopology.CERTIFICATIONS);
        meters.output(context.currentSystemTimeMs(), timestamp);
        if (before == null) {
            runChange(runKey, status, 1, timestamp);
        } else if (!before.runKey().equals(runKey) || before.status() != status) {
            runChange(before.runKey(), before.status(), -1, timestamp);
            runChange(runKey, status, 1, timestamp);
        }
    }

    private void runChange(String runKey, CertificationStatus status, int delta, long timestamp) {
        context.forward(
                new Record<>(runKey, new CertificationRunChange(status, delta), timestamp),
                PensionCertificationTopology.RUN_CHANGES);
    }

    private CertificationFact latestPension(String residentId) {
        CertificationFact latest = null;
        try (KeyValueIterator<String, CertificationFact> all =
                facts.prefixScan(prefix(residentId, Kind.PENSION), PREFIX)) {
            while (all.hasNext()) {
                CertificationFact p = all.next().value;
                if (latest == null
                        || p.time() > latest.time()
                        || (p.time() == latest.time() && p.recordKey().compareTo(latest.recordKey()) > 0)) {
                    latest = p;
                }
            }
        }
        return latest;
    }

    private CertificationFact earliestDeath(String residentId) {
        CertificationFact earliest = null;
        try (KeyValueIterator<String, CertificationFact> all =
                facts.prefixScan(prefix(residentId, Kind.DEATH), PREFIX)) {
            while (all.hasNext()) {
                CertificationFact d = all.next().value;
                if (earliest == null
                        || d.time() < earliest.time()
                        || (d.time() == earliest.time() && d.recordKey().compareTo(earliest.recordKey()) < 0)) {
                    earliest = d;
                }
            }
        }
        return earliest;
    }

    /** The run a check date and district count in: {@code yyyy-MM|district}. */
    static String runKey(LocalDate checkDate, String district) {
        return checkDate.toString().substring(0, 7) + '|' + district;
    }

    /** The last millisecond of {@code date} in Heze. */
    static long endOf(LocalDate date) {
        return date.plusDays(1).atStartOfDay(CityZone.ZONE).toInstant().toEpochMilli() - 1;
    }

    /** The first millisecond a settlement certifies on: the start of (check date minus the window). */
    static long windowStart(LocalDate checkDate, Period window) {
        return checkDate.minus(window).atStartOfDay(CityZone.ZONE).toInstant().toEpochMilli();
    }

    /** Whole months from the death date to the check date, 0 when the check date is not after it. */
    static int monthsPaidAfter(LocalDate deathDate, LocalDate checkDate) {
        return (int) Math.max(0, ChronoUnit.MONTHS.between(deathDate, checkDate));
    }
}
