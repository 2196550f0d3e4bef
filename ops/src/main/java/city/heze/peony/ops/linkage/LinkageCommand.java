package city.heze.peony.ops.linkage;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.LinkageScenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peony linkage}: the cross-department scenarios (docs/linkage.md). */
@Command(
        name = "linkage",
        description = "Cross-department linkage scenarios: social-assistance review (社会救助资格核对) and silent"
                + " pension certification (养老金静默认证).",
        subcommands = {LinkageCommand.ListScenarios.class, LinkageCommand.Show.class, LinkageRunCommand.class})
public final class LinkageCommand {
    private LinkageCommand() {}

    static LinkageScenario scenario(String id) {
        return LinkageScenario.byId(id)
                .orElseThrow(() -> new UserException("no linkage scenario '" + id + "'; expected one of "
                        + String.join(", ", LinkageScenario.ids())));
    }

    @Command(
            name = "list",
            description = "List the scenarios with their owner, inputs, output and what they found so far.")
    static final class ListScenarios extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Override
        public Integer call() {
            var reviews = LinkageOutputs.reviews(cluster.clientProperties()).values();
            var certifications =
                    LinkageOutputs.certifications(cluster.clientProperties()).values();
            Map<String, String> found = Map.of(
                    LinkageScenario.SOCIAL_ASSISTANCE_REVIEW.id(),
                    LinkageOutputs.flagged(reviews).size() + " recipient(s) flagged "
                            + counts(LinkageOutputs.flagCounts(reviews)),
                    LinkageScenario.PENSION_CERTIFICATION.id(),
                    certifications.size() + " pensioner(s) " + counts(LinkageOutputs.statusCounts(certifications)));
            PrintWriter out = out();
            if (output.json()) {
                List<Map<String, Object>> items = new ArrayList<>();
                for (LinkageScenario s : LinkageScenario.values()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("scenario", s.id());
                    m.put("title", s.title());
                    m.put("owner", s.owner());
                    m.put("inputs", s.inputTopics());
                    m.put("outputs", s.outputs().stream().map(t -> t.name()).toList());
                    m.put("applicationId", s.applicationId());
                    m.put("found", found.get(s.id()));
                    items.add(m);
                }
                Listing.json(out, items);
                return 0;
            }
            Listing table =
                    Listing.table(out, "%-26s %-12s %-5s %-34s %s%n", "SCENARIO", "名称", "OWNER", "OUTPUT", "FOUND");
            for (LinkageScenario s : LinkageScenario.values()) {
                table.row(s.id(), s.title(), s.owner(), s.outputs().get(0).name(), found.get(s.id()));
            }
            for (LinkageScenario s : LinkageScenario.values()) {
                out.println(s.id() + " reads " + String.join(", ", s.inputTopics()));
            }
            return 0;
        }

        private static String counts(Map<? extends Enum<?>, Long> counts) {
            StringBuilder b = new StringBuilder("(");
            counts.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "")
                    .append(k.name().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(v));
            return b.append(')').toString();
        }
    }

    @Command(
            name = "show",
            description = {
                "Show a scenario's current results with their evidence: social-assistance-review (one block per"
                        + " recipient whose flags changed), pension-certification (one line per pensioner; --runs for"
                        + " the monthly counts per district)."
            })
    static final class Show extends ClusterCommand {
        @Parameters(
                index = "0",
                paramLabel = "SCENARIO",
                description = "social-assistance-review or pension-certification")
        String scenarioId;

        @Option(
                names = "--flagged",
                description =
                        "Only recipients with flags now (review), or pensioners who are not CERTIFIED (certification).")
        boolean flagged;

        @Option(names = "--resident", paramLabel = "ID", description = "Only this resident ID.")
        String resident;

        @Option(
                names = "--status",
                paramLabel = "STATUS",
                description = "Certification only: suspend, certified or needs_visit.")
        String status;

        @Option(
                names = "--runs",
                description = "Certification only: the monthly runs per district instead of the pensioners.")
        boolean runs;

        @Mixin
        OutputFormat output;

        @Override
        public Integer call() {
            LinkageScenario scenario = scenario(scenarioId);
            Map<String, CatalogEntry> catalogs = new CatalogTopic(cluster.clientProperties()).readAll();
            return switch (scenario) {
                case SOCIAL_ASSISTANCE_REVIEW -> showReviews(catalogs);
                case PENSION_CERTIFICATION -> runs ? showRuns() : showCertifications(catalogs);
            };
        }

        private int showReviews(Map<String, CatalogEntry> catalogs) {
            if (status != null || runs) {
                throw new UserException("--status and --runs apply to pension-certification only");
            }
            TopicSnapshot.Latest<SocialAssistanceReview> latest = LinkageOutputs.reviews(cluster.clientProperties());
            List<SocialAssistanceReview> chosen = new ArrayList<>();
            for (SocialAssistanceReview r : new TreeMap<>(latest.values()).values()) {
                if ((!flagged || !r.getFlags().isEmpty()) && (resident == null || resident.equals(r.getResidentId()))) {
                    chosen.add(r);
                }
            }
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, chosen, Show::reviewJson);
                return 0;
            }
            for (SocialAssistanceReview r : chosen) {
                out.println(r.getResidentId() + "  " + r.getName() + "  区划 " + r.getRegionCode() + "  "
                        + (r.getFlags().isEmpty()
                                ? "核对无异常（此前的疑点已消除）"
                                : r.getFlags().size() + " 项疑点")
                        + "  (" + CityTimes.iso(r.getChangedAt()) + ")");
                out.println("    救助记录: " + evidence(r.getRecipient(), catalogs));
                for (ReviewFlag flag : r.getFlags()) {
                    out.println("  " + LinkageLabels.flag(flag.getKind()) + " [" + flag.getKind() + "] 规则: "
                            + flag.getRule());
                    for (LinkageEvidence e : flag.getEvidence()) {
                        out.println("    " + evidence(e, catalogs));
                    }
                }
            }
            long withFlags =
                    chosen.stream().filter(r -> !r.getFlags().isEmpty()).count();
            out.println(chosen.size() + " recipient(s) shown, " + withFlags + " with flags"
                    + (latest.undecodable() > 0 ? "; " + latest.undecodable() + " record(s) could not be read" : ""));
            return 0;
        }

        private int showCertifications(Map<String, CatalogEntry> catalogs) {
            CertificationStatus wanted = status == null ? null : status(status);
            TopicSnapshot.Latest<PensionCertification> latest =
                    LinkageOutputs.certifications(cluster.clientProperties());
            List<PensionCertification> chosen = new ArrayList<>();
            for (PensionCertification c : new TreeMap<>(latest.values()).values()) {
                if ((!flagged || c.getStatus() != CertificationStatus.CERTIFIED)
                        && (wanted == null || wanted == c.getStatus())
                        && (resident == null || resident.equals(c.getResidentId()))) {
                    chosen.add(c);
                }
            }
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, chosen, Show::certificationJson);
                return 0;
            }
            Listing table = Listing.table(
                    out,
                    "%-18s %-8s %-6s %-10s %-11s %-10s %-6s %-16s%n",
                    "RESIDENT",
                    "姓名",
                    "区县",
                    "核验日期",
                    "STATUS",
                    "死亡日期",
                    "多发月数",
                    "最近就医");
            for (PensionCertification c : chosen) {
                table.row(
                        c.getResidentId(),
                        c.getName(),
                        c.getDistrict(),
                        c.getCheckDate(),
                        c.getStatus() + " " + LinkageLabels.status(c.getStatus()),
                        Listing.orDash(c.getDeathDate()),
                        Listing.orDash(c.getMonthsPaidAfterDeath()),
                        c.getLastSignOfLife() == null ? "-" : CityTimes.tableMinutes(c.getLastSignOfLife()));
            }
            if (resident != null) {
                for (PensionCertification c : chosen) {
                    out.println("    养老金记录: " + evidence(c.getPension(), catalogs));
                    for (LinkageEvidence e : c.getEvidence()) {
                        out.println("    依据: " + evidence(e, catalogs));
                    }
                }
            }
            out.println(chosen.size() + " pensioner(s) shown"
                    + (latest.undecodable() > 0 ? "; " + latest.undecodable() + " record(s) could not be read" : ""));
            return 0;
        }

        private int showRuns() {
            if (flagged || resident != null || status != null) {
                throw new UserException(
                        "--runs shows counts per district; --flagged, --resident and --status do not apply");
            }
            TopicSnapshot.Latest<CertificationRun> latest = LinkageOutputs.runs(cluster.clientProperties());
            List<CertificationRun> all = new ArrayList<>(new TreeMap<>(latest.values()).values());
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, all, Show::runJson);
                return 0;
            }
            Listing table = Listing.table(
                    out,
                    "%-8s %-8s %10s %10s %8s %11s%n",
                    "MONTH",
                    "DISTRICT",
                    "PENSIONERS",
                    "CERTIFIED",
                    "SUSPEND",
                    "NEEDS_VISIT");
            for (CertificationRun r : all) {
                table.row(
                        r.getMonth(),
                        r.getDistrict(),
                        r.getPensioners(),
                        r.getCertified(),
                        r.getSuspend(),
                        r.getNeedsVisit());
            }
            out.println(all.size() + " run(s)");
            return 0;
        }

        private static CertificationStatus status(String text) {
            try {
                return CertificationStatus.valueOf(
                        text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new UserException("--status " + text + ": expected suspend, certified or needs_visit");
            }
        }

        /** One line a caseworker can act on: the catalog by its name, where the record is, what it says. */
        private static String evidence(LinkageEvidence e, Map<String, CatalogEntry> catalogs) {
            CatalogEntry catalog = catalogs.get(e.getCatalogId());
            StringBuilder b = new StringBuilder();
            b.append(catalog == null ? e.getCatalogId() : catalog.getName() + "（" + e.getCatalogId() + "）");
            b.append(" 记录 ").append(e.getRecordKey());
            b.append(" @ ")
                    .append(e.getTopic())
                    .append('[')
                    .append(e.getPartition())
                    .append("]:")
                    .append(e.getOffset());
            new TreeMap<>(e.getFields())
                    .forEach((k, v) -> b.append(' ')
                            .append(LinkageLabels.field(k))
                            .append('=')
                            .append(v));
            return b.toString();
        }

        private static Map<String, Object> evidenceJson(LinkageEvidence e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("catalogId", e.getCatalogId());
            m.put("recordKey", e.getRecordKey());
            m.put("topic", e.getTopic());
            m.put("partition", e.getPartition());
            m.put("offset", e.getOffset());
            m.put("recordTime", CityTimes.iso(e.getRecordTime()));
            m.put("fields", new TreeMap<>(e.getFields()));
            return m;
        }

        private static Map<String, Object> reviewJson(SocialAssistanceReview r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("residentId", r.getResidentId());
            m.put("name", r.getName());
            m.put("regionCode", r.getRegionCode());
            m.put("recipient", evidenceJson(r.getRecipient()));
            List<Map<String, Object>> flags = new ArrayList<>();
            for (ReviewFlag f : r.getFlags()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("kind", f.getKind().name());
                fm.put("label", LinkageLabels.flag(f.getKind()));
                fm.put("rule", f.getRule());
                fm.put(
                        "evidence",
                        f.getEvidence().stream().map(Show::evidenceJson).toList());
                flags.add(fm);
            }
            m.put("flags", flags);
            m.put("changedAt", CityTimes.iso(r.getChangedAt()));
            return m;
        }

        private static Map<String, Object> certificationJson(PensionCertification c) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("residentId", c.getResidentId());
            m.put("name", c.getName());
            m.put("regionCode", c.getRegionCode());
            m.put("district", c.getDistrict());
            m.put("checkDate", c.getCheckDate().toString());
            m.put("status", c.getStatus().name());
            m.put("label", LinkageLabels.status(c.getStatus()));
            m.put(
                    "deathDate",
                    c.getDeathDate() == null ? null : c.getDeathDate().toString());
            m.put("monthsPaidAfterDeath", c.getMonthsPaidAfterDeath());
            m.put("lastSignOfLife", c.getLastSignOfLife() == null ? null : CityTimes.iso(c.getLastSignOfLife()));
            m.put("pension", evidenceJson(c.getPension()));
            m.put("evidence", c.getEvidence().stream().map(Show::evidenceJson).toList());
            return m;
        }

        private static Map<String, Object> runJson(CertificationRun r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("month", r.getMonth());
            m.put("district", r.getDistrict());
            m.put("pensioners", r.getPensioners());
            m.put("certified", r.getCertified());
            m.put("suspend", r.getSuspend());
            m.put("needsVisit", r.getNeedsVisit());
            m.put("updatedAt", CityTimes.iso(r.getUpdatedAt()));
            return m;
        }
    }
}
