package city.heze.peony.producers.simulate;

import city.heze.peony.schemas.CityZone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a simulation produced: the records per catalog and the defects planted per kind (validation
 * must reject exactly {@link #defectCount()} records), the share applications per fate, how many
 * sends failed, the records planted for opening to withhold, and the seed and simulated start that repeat the run.
 *
 * @param start the simulated time of the first event
 * @param end the simulated time of the last event
 */
public record SimulationSummary(
        long seed,
        Instant start,
        Instant end,
        long records,
        Map<String, Long> recordsByCatalog,
        Map<DefectKind, Long> defects,
        long shareApplications,
        Map<ShareFate, Long> shareFates,
        long failedSends,
        Map<OpenPlantKind, Long> openPlants) {

    /**
     * Valid records of OPEN catalogs with personal information planted ({@link OpenPlantKind}): shared,
     * and the number the open-data topology must withhold.
     */
    public long openWithheldCount() {
        return openPlants.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records carrying a deliberate defect: the number validation must reject. */
    public long defectCount() {
        return defects.values().stream().mapToLong(Long::longValue).sum();
    }

    public long defects(DefectKind kind) {
        return defects.getOrDefault(kind, 0L);
    }

    public long shareApplications(ShareFate fate) {
        return shareFates.getOrDefault(fate, 0L);
    }

    /** The report {@code peony simulate} prints, one fact a line. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        StringBuilder defectLine = new StringBuilder("simulated ")
                .append(records)
                .append(" records: ")
                .append(defectCount())
                .append(" defects (");
        for (DefectKind kind : DefectKind.values()) {
            if (kind.ordinal() > 0) {
                defectLine.append(", ");
            }
            defectLine.append(kind.label()).append(' ').append(defects(kind));
        }
        lines.add(defectLine.append(')').toString());
        StringBuilder shareLine = new StringBuilder("share applications ")
                .append(shareApplications)
                .append(": ");
        for (ShareFate fate : ShareFate.values()) {
            if (fate.ordinal() > 0) {
                shareLine.append(", ");
            }
            shareLine.append(fate.label()).append(' ').append(shareApplications(fate));
        }
        lines.add(shareLine.toString());
        StringBuilder openLine = new StringBuilder("planted to withhold from opening: ")
                .append(openWithheldCount())
                .append(" records of OPEN catalogs (");
        for (OpenPlantKind kind : OpenPlantKind.values()) {
            if (kind.ordinal() > 0) {
                openLine.append(", ");
            }
            openLine.append(kind.label()).append(' ').append(openPlants.getOrDefault(kind, 0L));
        }
        lines.add(openLine.append(')').toString());
        String from = inCity(start);
        lines.add("seed " + seed + ", simulated time " + from + " to " + inCity(end) + " (repeat with --seed " + seed
                + " --start " + from + ")");
        if (failedSends > 0) {
            lines.add("failed to send " + failedSends + " records or applications; they are not on Kafka");
        }
        return lines;
    }

    /** An instant as the city's clocks show it, e.g. 2025-06-02T09:00+08:00. */
    static String inCity(Instant instant) {
        return instant.atZone(CityZone.ZONE).toOffsetDateTime().toString();
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
