package city.heze.peony.ops.validation;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peony dlq list|replay}: the dead-letter topic {@code peony.rejected}. */
@Command(
        name = "dlq",
        description = "Show rejected records with their reasons, or send a catalog's rejected records back to"
                + " validation.",
        subcommands = {DlqCommand.ListRejected.class, DlqCommand.Replay.class})
public final class DlqCommand {

    /** One rejection as shown, with where it sits on peony.rejected. */
    record Shown(int partition, long offset, Rejection rejection) {}

    @Command(
            name = "list",
            description = "Show rejected records, most recent last, with every failed rule and the original value"
                    + " decoded (or base64 and why not).")
    static final class ListRejected extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Option(names = "--catalog", paramLabel = "ID", description = "Only this catalog.")
        String catalog;

        @Option(
                names = "--rule",
                paramLabel = "RULE",
                description = "Only records that failed this rule id (e.g. sa.resident-id, poison.not-avro).")
        String rule;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "20",
                description = "Show the last N matching records; 0 for all (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 0) {
                throw new UserException("--limit " + limit + ": expected 0 (all) or more");
            }
            Deque<Shown> shown = new ArrayDeque<>();
            long[] counts = new long[2]; // matching, unreadable
            PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
            try (Serde<Rejection> rejectionSerde = serdes.rejection();
                    Serde<GenericRecord> valueSerde = serdes.genericValue()) {
                Deserializer<Rejection> rejections = rejectionSerde.deserializer();
                TopicSnapshot.readRaw(cluster.clientProperties(), Topics.REJECTED.name(), r -> {
                    Rejection rejection = TopicSnapshot.decodeOrNull(rejections, r);
                    if (rejection == null) {
                        counts[1]++;
                        return;
                    }
                    if (!matches(rejection)) {
                        return;
                    }
                    counts[0]++;
                    shown.addLast(new Shown(r.partition(), r.offset(), rejection));
                    if (limit > 0 && shown.size() > limit) {
                        shown.removeFirst();
                    }
                });
                @SuppressWarnings({"unchecked", "rawtypes"})
                Deserializer<Object> values = (Deserializer) valueSerde.deserializer();
                PrintWriter out = out();
                if (output.json()) {
                    Listing.json(out, shown, s -> toJson(s, values));
                } else {
                    shown.forEach(s -> print(out, s, values));
                    out.println(shown.size() + " of " + counts[0] + " matching rejected record(s) shown");
                }
            }
            if (counts[1] > 0) {
                err().println("peony dlq list: " + counts[1] + " record(s) of " + Topics.REJECTED.name()
                        + " are not Rejection envelopes and were skipped");
            }
            return 0;
        }

        private boolean matches(Rejection rejection) {
            if (catalog != null && !catalog.equals(rejection.getCatalogId())) {
                return false;
            }
            return rule == null || rejection.getFailures().stream().anyMatch(f -> rule.equals(f.getRuleId()));
        }

        private static void print(PrintWriter out, Shown shown, Deserializer<Object> values) {
            Rejection r = shown.rejection();
            out.printf(
                    "%s partition %d offset %d  (%s %d@%d)  at %s%n",
                    r.getSourceTopic(),
                    r.getSourcePartition(),
                    r.getSourceOffset(),
                    Topics.REJECTED.name(),
                    shown.partition(),
                    shown.offset(),
                    CityTimes.tableSeconds(r.getSourceTimestamp()));
            out.printf(
                    "  catalog %s%s  kind %s%s  key %s%n",
                    r.getCatalogId() == null ? "-" : r.getCatalogId(),
                    r.getDepartment() == null ? "" : " (" + r.getDepartment() + ")",
                    r.getKind(),
                    r.getSchemaId() == null ? "" : "  schema id " + r.getSchemaId(),
                    RejectedValue.key(r.getOriginalKey()));
            for (RuleFailure f : r.getFailures()) {
                out.printf(
                        "  - %s [%s]%s %s%n",
                        f.getRuleId(),
                        f.getSeverity(),
                        f.getField() == null ? "" : " " + f.getField() + ":",
                        f.getReason());
            }
            out.println("  value: "
                    + RejectedValue.of(r.getOriginalValue(), values, r.getSourceTopic())
                            .text());
        }

        private static Map<String, Object> toJson(Shown shown, Deserializer<Object> values) {
            Rejection r = shown.rejection();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rejectedPartition", shown.partition());
            out.put("rejectedOffset", shown.offset());
            out.put("sourceTopic", r.getSourceTopic());
            out.put("sourcePartition", r.getSourcePartition());
            out.put("sourceOffset", r.getSourceOffset());
            out.put("sourceTimestamp", CityTimes.isoWithSeconds(r.getSourceTimestamp()));
            out.put("catalogId", r.getCatalogId());
            out.put("department", r.getDepartment());
            out.put("kind", r.getKind().name());
            List<Map<String, Object>> failures = new ArrayList<>();
            for (RuleFailure f : r.getFailures()) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("ruleId", f.getRuleId());
                failure.put("field", f.getField());
                failure.put("severity", f.getSeverity().name());
                failure.put("reason", f.getReason());
                failures.add(failure);
            }
            out.put("failures", failures);
            out.put("schemaId", r.getSchemaId());
            out.put("key", RejectedValue.key(r.getOriginalKey()));
            RejectedValue value = RejectedValue.of(r.getOriginalValue(), values, r.getSourceTopic());
            out.put("value", value.json());
            if (value.json() == null) {
                out.put("valueBase64", value.base64());
                out.put("valueNotDecodedBecause", value.undecodedBecause());
            }
            out.put("rejectedAt", CityTimes.isoWithSeconds(r.getRejectedAt()));
            return out;
        }
    }

    @Command(
            name = "replay",
            description = "Send the rejected records of a catalog back to raw.<catalog> (original key and value"
                    + " bytes), exactly once: a second run replays only what was rejected since.")
    static final class Replay extends ClusterCommand {

        @Option(
                names = "--catalog",
                paramLabel = "ID",
                required = true,
                description = "The catalog whose rejected records go back, e.g. mz.social-assistance.")
        String catalog;

        @Override
        public Integer call() throws Exception {
            try {
                Topics.requireCatalogId(catalog);
            } catch (IllegalArgumentException e) {
                throw new UserException("--catalog: " + e.getMessage());
            }
            DlqReplay.Result result;
            try (Serde<Rejection> serde = new PeonySerdes(cluster.clientConfigs()).rejection()) {
                result = DlqReplay.replay(cluster.clientProperties(), serde.deserializer(), catalog);
            }
            spec.commandLine()
                    .getOut()
                    .println("replayed " + result.replayed() + " rejected record(s) of catalog " + catalog + " to "
                            + Topics.raw(catalog) + " (" + result.otherCatalogs() + " of other catalogs passed over"
                            + (result.unreadable() > 0 ? ", " + result.unreadable() + " unreadable" : "")
                            + "; progress kept by consumer group " + result.group() + ")");
            return 0;
        }
    }
}
