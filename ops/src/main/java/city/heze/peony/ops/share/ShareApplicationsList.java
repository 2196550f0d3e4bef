package city.heze.peony.ops.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.calendar.WorkingDayCalendar;
import city.heze.peony.streams.share.InvalidShareEvent;
import city.heze.peony.streams.share.ShareDeadlines;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony share list}: every share application with its status. Judged ones come from {@code
 * peony.share.outcomes} (TIMELY, LATE, OVERDUE, WITHDRAWN); the rest from the requests and decisions
 * themselves: OPEN (requested, no outcome yet; its deadline worked out here the way the share
 * application does), INVALID (a request the share application rejects, e.g. for an unknown catalog)
 * and UNMATCHED (a decision whose request never arrived).
 */
@Command(name = "list", description = "List share applications with their status and deadline.")
final class ShareApplicationsList extends ClusterCommand {
    static final List<String> STATUSES =
            List.of("OPEN", "TIMELY", "LATE", "OVERDUE", "WITHDRAWN", "INVALID", "UNMATCHED");

    @Mixin
    OutputFormat output;

    @Option(names = "--provider", paramLabel = "DEPT", description = "Only applications to this department.")
    String provider;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only this status: OPEN, TIMELY, LATE, OVERDUE, WITHDRAWN, INVALID or UNMATCHED.")
    String status;

    /** One line of the listing. */
    record Row(
            String id,
            String status,
            String provider,
            String catalogId,
            String requester,
            String purpose,
            Instant submittedAt,
            Instant deadline,
            String decision,
            String reason,
            Instant answeredAt,
            String note) {}

    @Override
    public Integer call() throws Exception {
        String wanted = status == null ? null : ShareCommand.status(status, STATUSES);
        Properties client = cluster.clientProperties();
        PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
        Map<String, ShareOutcome> outcomes;
        Map<String, ShareRequest> requests = new LinkedHashMap<>();
        Map<String, List<ShareDecision>> decisions = new HashMap<>();
        int undecodable = 0;
        try (Serde<ShareOutcome> o = serdes.shareOutcome();
                Serde<ShareRequest> r = serdes.shareRequest();
                Serde<ShareDecision> d = serdes.shareDecision()) {
            TopicSnapshot.Latest<ShareOutcome> latest =
                    TopicSnapshot.latest(client, Topics.SHARE_OUTCOMES.name(), o.deserializer());
            outcomes = latest.values();
            undecodable += latest.undecodable();
            undecodable += TopicSnapshot.read(client, Topics.SHARE_REQUESTS.name(), r.deserializer(), (k, v) -> {
                if (v != null && v.getApplicationId().equals(k)) {
                    requests.putIfAbsent(k, v);
                }
            });
            undecodable += TopicSnapshot.read(client, Topics.SHARE_DECISIONS.name(), d.deserializer(), (k, v) -> {
                if (v != null && v.getApplicationId().equals(k)) {
                    decisions.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                }
            });
        }
        List<Row> rows = rows(client, outcomes, requests, decisions);
        rows.removeIf(row -> (provider != null && !provider.equals(row.provider()))
                || (wanted != null && !wanted.equals(row.status())));
        PrintWriter out = out();
        if (output.json()) {
            Listing.json(out, rows, ShareApplicationsList::toJson);
            return 0;
        }
        print(out, rows);
        if (undecodable > 0) {
            out.println(undecodable + " record(s) could not be read and are not listed (see peony.rejected)");
        }
        return 0;
    }

    private List<Row> rows(
            Properties client,
            Map<String, ShareOutcome> outcomes,
            Map<String, ShareRequest> requests,
            Map<String, List<ShareDecision>> decisions) {
        List<Row> rows = new ArrayList<>();
        for (ShareOutcome o : outcomes.values()) {
            // The outcome does not repeat the purpose; the request it judged has it.
            ShareRequest request = requests.get(o.getApplicationId());
            rows.add(new Row(
                    o.getApplicationId(),
                    o.getStatus().name(),
                    o.getProviderDepartment(),
                    o.getCatalogId(),
                    o.getRequestingDepartment(),
                    request == null ? null : request.getPurpose(),
                    o.getSubmittedAt(),
                    o.getDeadline(),
                    o.getDecision() == null ? null : o.getDecision().name(),
                    o.getReason(),
                    o.getAnsweredAt(),
                    null));
        }
        boolean pendingRequests = requests.keySet().stream().anyMatch(id -> !outcomes.containsKey(id));
        Map<String, CatalogEntry> catalogs = pendingRequests ? new CatalogTopic(client).readAll() : Map.of();
        ShareDeadlines deadlines = ShareCommand.deadlines(client);
        WorkingDayCalendar calendar = pendingRequests ? WorkingDayCalendar.fromClasspath() : null;
        for (ShareRequest r : requests.values()) {
            if (outcomes.containsKey(r.getApplicationId())) {
                continue;
            }
            ShareDecision answer = earliestAnswer(decisions.get(r.getApplicationId()));
            CatalogEntry catalog = catalogs.get(r.getCatalogId());
            Instant deadline = null;
            String note = null;
            String rowStatus = "OPEN";
            if (catalog == null) {
                rowStatus = "INVALID";
                note = "no catalog '" + r.getCatalogId() + "' is registered";
            } else {
                try {
                    int days = deadlines.workingDays(
                            r.getCatalogId(),
                            catalog.getShareType(),
                            catalog.getShareDeadlineWorkingDays(),
                            r.getDeadlineWorkingDays());
                    deadline = calendar.deadline(r.getSubmittedAt(), days);
                } catch (InvalidShareEvent e) {
                    rowStatus = "INVALID";
                    note = e.reason();
                }
            }
            rows.add(new Row(
                    r.getApplicationId(),
                    rowStatus,
                    catalog == null ? r.getProviderDepartment() : catalog.getDepartment(),
                    r.getCatalogId(),
                    r.getRequestingDepartment(),
                    r.getPurpose(),
                    r.getSubmittedAt(),
                    deadline,
                    answer == null ? null : answer.getDecision().name(),
                    answer == null ? null : answer.getReason(),
                    answer == null ? null : answer.getDecidedAt(),
                    note));
        }
        for (Map.Entry<String, List<ShareDecision>> e : new TreeMap<>(decisions).entrySet()) {
            if (!requests.containsKey(e.getKey()) && !outcomes.containsKey(e.getKey())) {
                ShareDecision first = earliestAnswer(e.getValue());
                rows.add(new Row(
                        e.getKey(),
                        "UNMATCHED",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        first == null ? null : first.getDecision().name(),
                        first == null ? null : first.getReason(),
                        first == null ? null : first.getDecidedAt(),
                        "no request for this application has arrived"));
            }
        }
        rows.sort(Comparator.comparing(Row::submittedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Row::id));
        return rows;
    }

    /** The earliest valid decision (refusals without a reason and unknown kinds are no answer). */
    private static ShareDecision earliestAnswer(List<ShareDecision> list) {
        if (list == null) {
            return null;
        }
        return list.stream()
                .filter(d -> d.getDecision() != ShareDecisionKind.UNKNOWN)
                .filter(d -> d.getDecision() != ShareDecisionKind.REFUSED
                        || (d.getReason() != null && !d.getReason().isBlank()))
                .min(Comparator.comparing(ShareDecision::getDecidedAt))
                .orElse(null);
    }

    private static Map<String, Object> toJson(Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applicationId", row.id());
        m.put("status", row.status());
        m.put("provider", row.provider());
        m.put("catalogId", row.catalogId());
        m.put("requester", row.requester());
        m.put("purpose", row.purpose());
        m.put("submittedAt", CityTimes.iso(row.submittedAt()));
        m.put("deadline", CityTimes.iso(row.deadline()));
        m.put("decision", row.decision());
        m.put("reason", row.reason());
        m.put("answeredAt", CityTimes.iso(row.answeredAt()));
        if (row.note() != null) {
            m.put("note", row.note());
        }
        return m;
    }

    /** Wide rows, but the purpose is what a department recognises its application by. */
    private static void print(PrintWriter out, List<Row> rows) {
        Listing table = Listing.table(
                out,
                "%-24s %-9s %-6s %-26s %-6s %-24s %-16s %-16s %-9s %-16s %s%n",
                "ID",
                "STATUS",
                "DEPT",
                "CATALOG",
                "FROM",
                "PURPOSE",
                "SUBMITTED",
                "DEADLINE",
                "ANSWER",
                "ANSWERED",
                "NOTE");
        Map<String, Integer> counts = new TreeMap<>();
        for (Row r : rows) {
            table.row(
                    r.id(),
                    r.status(),
                    Listing.orDash(r.provider()),
                    Listing.orDash(r.catalogId()),
                    Listing.orDash(r.requester()),
                    Listing.orDash(r.purpose()),
                    CityTimes.tableMinutes(r.submittedAt()),
                    CityTimes.tableMinutes(r.deadline()),
                    Listing.orDash(r.decision()),
                    CityTimes.tableMinutes(r.answeredAt()),
                    r.note() != null ? r.note() : r.reason() != null ? r.reason() : "");
            counts.merge(r.status(), 1, Integer::sum);
        }
        StringBuilder summary = new StringBuilder(rows.size() + " application(s)");
        counts.forEach((s, n) -> summary.append(", ").append(n).append(' ').append(s));
        out.println(summary);
    }
}
