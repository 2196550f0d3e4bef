package city.heze.peony.ops.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.security.SignedIn;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.calendar.WorkingDayCalendar;
import city.heze.peony.streams.share.InvalidShareEvent;
import city.heze.peony.streams.share.ShareDeadlines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peony share request|decide|withdraw|list}: share applications (共享申请) and their answers.
 * The share SLA application (run by {@code peony up}) pairs them and judges each against its
 * deadline; these commands write the events and read back what it decided.
 */
@Command(
        name = "share",
        description = "Apply for another department's catalog, answer, withdraw or revoke an application, list them.",
        subcommands = {
            ShareCommand.Request.class,
            ShareCommand.Decide.class,
            ShareCommand.Withdraw.class,
            ShareCommand.Revoke.class,
            ShareApplicationsList.class
        })
public final class ShareCommand {
    /** A day of clock difference is tolerated; the share application rejects later times. */
    static final Duration CLOCK_TOLERANCE = Duration.ofDays(1);

    private ShareCommand() {}

    @Command(
            name = "request",
            description = "Apply to use a catalog of another department; prints the application id and its deadline.")
    static final class Request extends ShareEventCommand {
        @Option(
                names = "--from",
                required = true,
                paramLabel = "DEPT",
                description = "The applying department, e.g. mz.")
        String from;

        @Option(names = "--catalog", required = true, paramLabel = "ID", description = "The catalog applied for.")
        String catalogId;

        @Option(names = "--purpose", required = true, paramLabel = "TEXT", description = "What the data is for (用途).")
        String purpose;

        @Option(
                names = "--submitted-at",
                paramLabel = "ISO-TIME",
                description = "When it was submitted (default now), to load a history of applications:"
                        + " 2025-10-09T10:15:00+08:00, 2025-10-09T10:15 (Asia/Shanghai) or 2025-10-09.")
        String submittedAt;

        @Option(names = "--id", paramLabel = "APPLICATION-ID", description = "The application id (default: generated).")
        String id;

        @Option(
                names = "--working-days",
                paramLabel = "N",
                description = "Working days the provider has for this application, when it differs from the catalog's.")
        Integer workingDays;

        @Override
        public Integer call() {
            Instant submitted = timeOrNow("--submitted-at", submittedAt);
            requireText("--purpose", purpose);
            requireDepartment("--from", from);
            SignedIn.of(cluster.clientProperties()).requireMayActAs("--from", from);
            String applicationId = id == null ? generatedId(submitted) : requireId(id);
            Properties client = cluster.clientProperties();
            ShareDeadlines deadlines = deadlines(client);
            Map<String, CatalogEntry> catalogs = new CatalogTopic(client).readAll();
            CatalogEntry catalog = catalogs.get(catalogId);
            if (catalog == null) {
                throw new UserException(
                        "--catalog " + catalogId + ": no such catalog on " + cluster.bootstrapServers() + "; known: "
                                + (catalogs.isEmpty() ? "none" : String.join(", ", catalogs.keySet())),
                        1);
            }
            int days;
            try {
                days = deadlines.workingDays(
                        catalogId, catalog.getShareType(), catalog.getShareDeadlineWorkingDays(), workingDays);
            } catch (InvalidShareEvent e) {
                throw new UserException(e.reason(), workingDays != null ? UserException.USAGE : 1);
            }
            Instant deadline = WorkingDayCalendar.fromClasspath().deadline(submitted, days);
            ShareRequest request = new ShareRequest(
                    applicationId, catalogId, catalog.getDepartment(), from, purpose, submitted, workingDays);
            PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
            // A department writes only its own topic; Peony checks the name and forwards it (docs/security.md).
            send(client, Topics.shareRequestsOf(from), applicationId, serdes.shareRequest(), request);
            spec.commandLine()
                    .getOut()
                    .println("Share application submitted: id=" + applicationId + " deadline="
                            + CityTimes.iso(deadline) + " working-days=" + days + " provider=" + catalog.getDepartment()
                            + " catalog=" + catalogId);
            return 0;
        }

        /** {@code sq-20251009-1a2b3c4d}: the submission day, then enough randomness never to collide. */
        private static String generatedId(Instant submitted) {
            String day = DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.ofInstant(submitted, CityZone.ZONE));
            return "sq-" + day + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /** Which answer: exactly one of the two. */
    static final class Answer {
        @Option(names = "--approve", required = true, description = "Approve the application.")
        boolean approve;

        @Option(names = "--refuse", required = true, description = "Refuse it; --reason is then required.")
        boolean refuse;
    }

    @Command(name = "decide", description = "Answer a share application: approve it, or refuse it with a reason.")
    static final class Decide extends DecisionCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Answer answer;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why it is refused (required with --refuse).")
        String reason;

        @Option(
                names = "--decided-at",
                paramLabel = "ISO-TIME",
                description = "When it was answered (default now); same forms as --submitted-at.")
        String decidedAt;

        @Option(
                names = "--valid-until",
                paramLabel = "ISO-TIME",
                description = "With --approve: when the access it grants ends (default: the share application's"
                        + " configured validity, a year unless set); same forms as --submitted-at.")
        String validUntil;

        @Override
        public Integer call() {
            requireId(applicationId);
            if (validUntil != null && !answer.approve) {
                throw new UserException("--valid-until goes with --approve: a refusal grants nothing to end");
            }
            if (answer.refuse && (reason == null || reason.isBlank())) {
                throw new UserException("--refuse needs --reason: a refusal without a reason is not a valid answer");
            }
            if (answer.approve && reason != null) {
                throw new UserException("--reason goes with --refuse; an approval needs none");
            }
            ShareDecisionKind kind = answer.approve ? ShareDecisionKind.APPROVED : ShareDecisionKind.REFUSED;
            Instant at = timeOrNow("--decided-at", decidedAt);
            Instant until = validUntil == null ? null : CityTimes.parse("--valid-until", validUntil);
            if (until != null && !until.isAfter(at)) {
                throw new UserException("--valid-until " + CityTimes.iso(until) + " is not after the decision ("
                        + CityTimes.iso(at) + "): the access would end before it starts");
            }
            return record(kind, reason, at, until);
        }
    }

    @Command(
            name = "revoke",
            description = "Revoke an approval given earlier (the provider's side): the requester's access ends within"
                    + " seconds. The application's timeliness is unchanged.")
    static final class Revoke extends DecisionCommand {
        @Option(
                names = "--reason",
                required = true,
                paramLabel = "TEXT",
                description = "Why the access ends; recorded with the grant.")
        String reason;

        @Option(
                names = "--revoked-at",
                paramLabel = "ISO-TIME",
                description = "When it was revoked (default now); same forms as --submitted-at.")
        String revokedAt;

        @Override
        public Integer call() {
            requireId(applicationId);
            requireText("--reason", reason);
            return record(ShareDecisionKind.REVOKED, reason, timeOrNow("--revoked-at", revokedAt), null);
        }
    }

    @Command(
            name = "withdraw",
            description = "Withdraw a share application (the requester's side). A withdrawal after an answer changes"
                    + " nothing; after a missed deadline the application stays overdue.")
    static final class Withdraw extends DecisionCommand {
        @Option(
                names = "--withdrawn-at",
                paramLabel = "ISO-TIME",
                description = "When it was withdrawn (default now); same forms as --submitted-at.")
        String withdrawnAt;

        @Override
        public Integer call() {
            requireId(applicationId);
            return record(ShareDecisionKind.WITHDRAWN, null, timeOrNow("--withdrawn-at", withdrawnAt), null);
        }
    }

    /** What every share command has: the cluster, the clock, and event times that may not lie ahead of it. */
    abstract static class ShareEventCommand extends ClusterCommand {

        Clock clock = Clock.systemUTC();

        /** The time {@code option} gives, or now when it is absent; at most a day ahead of the clock. */
        Instant timeOrNow(String option, String text) {
            Instant now = clock.instant();
            Instant time = text == null ? now : CityTimes.parse(option, text);
            if (time.isAfter(now.plus(CLOCK_TOLERANCE))) {
                throw new UserException(option + " " + CityTimes.iso(time) + " is in the future (now "
                        + CityTimes.iso(now) + "); the share application would reject it");
            }
            return time;
        }
    }

    /**
     * An answer to an application, its withdrawal or a revocation: one {@code ShareDecision} on the
     * deciding department's own topic {@code peony.share.decisions.<dept>}.
     */
    abstract static class DecisionCommand extends ShareEventCommand {
        @Parameters(paramLabel = "APPLICATION-ID", description = "The application answered, withdrawn or revoked.")
        String applicationId;

        @Option(
                names = "--by",
                paramLabel = "DEPT",
                description = "Who answers or revokes (the provider department) or withdraws (the requesting one)."
                        + " Default: the department signed in with --client-config, else the application's provider"
                        + " (requester for withdraw).")
        String by;

        /** Writes the decision and prints what was recorded. */
        int record(ShareDecisionKind kind, String reason, Instant at, Instant validUntil) {
            Properties client = cluster.clientProperties();
            String department = decidingDepartment(client, kind);
            ShareDecision decision = new ShareDecision(applicationId, kind, reason, at, department, validUntil);
            PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
            send(client, Topics.shareDecisionsOf(department), applicationId, serdes.shareDecision(), decision);
            spec.commandLine()
                    .getOut()
                    .println("Share decision recorded: id=" + applicationId + " decision=" + kind + " by=" + department
                            + " at=" + CityTimes.iso(at)
                            + (validUntil == null ? "" : " valid-until=" + CityTimes.iso(validUntil)));
            return 0;
        }

        /**
         * {@code --by}; else the department signed in; else the side of the application that makes
         * this kind of decision (the requester withdraws, the provider does the rest).
         */
        private String decidingDepartment(Properties client, ShareDecisionKind kind) {
            SignedIn signedIn = SignedIn.of(client);
            if (by != null) {
                requireDepartment("--by", by);
                signedIn.requireMayActAs("--by", by);
                return by;
            }
            if (signedIn.department().isPresent()) {
                return signedIn.department().get();
            }
            ShareRequest request = ShareApplications.request(client, applicationId)
                    .orElseThrow(() -> new UserException(
                            "cannot tell which department decides " + applicationId + ": no such application on "
                                    + cluster.bootstrapServers() + "; give --by DEPT",
                            1));
            return kind == ShareDecisionKind.WITHDRAWN
                    ? request.getRequestingDepartment()
                    : request.getProviderDepartment();
        }
    }

    /** The {@code peony.share.deadline.*} settings of the client-config file, if any. */
    static ShareDeadlines deadlines(Properties client) {
        try {
            return ShareDeadlines.fromProperties(client);
        } catch (IllegalArgumentException e) {
            throw new UserException("--client-config: " + e.getMessage());
        }
    }

    static String requireId(String id) {
        if (id.isBlank() || id.length() > 200 || id.chars().anyMatch(Character::isWhitespace)) {
            throw new UserException("application id '" + id
                    + "': expected 1 to 200 characters without spaces, e.g. sq-20251009-1a2b3c4d");
        }
        return id;
    }

    static void requireDepartment(String option, String code) {
        try {
            Topics.requireDepartmentCode(code);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + " " + e.getMessage());
        }
    }

    private static void requireText(String option, String value) {
        if (value.isBlank()) {
            throw new UserException(option + " is empty");
        }
    }

    /** Writes one event and waits for the broker's acknowledgement, so that a printed id is on the topic. */
    static <V> void send(Properties clientProperties, String topic, String key, Serde<V> serde, V value) {
        Properties props = ClientConfigs.kafkaOnly(clientProperties);
        requireTopic(props, topic);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (serde;
                KafkaProducer<String, V> producer =
                        new KafkaProducer<>(props, PeonySerdes.key().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while writing to " + topic, 1);
        } catch (ExecutionException | TimeoutException e) {
            throw writeFailure(props, topic, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /**
     * Fails with one line when {@code topic} is missing or not the caller's to use: a producer would
     * wait a minute for a topic that does not exist, then say only that it timed out.
     */
    private static void requireTopic(Properties props, String topic) {
        try (Admin admin = Admin.create(props)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while looking up " + topic, 1);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw writeFailure(props, topic, cause);
        }
    }

    private static UserException writeFailure(Properties props, String topic, Throwable cause) {
        Object servers = props.get("bootstrap.servers");
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new UserException(
                    topic + " does not exist on " + servers + ": department " + Topics.departmentOfIngress(topic)
                            + " is not set up for share applications (peony department add, or a catalog of it)",
                    1);
        }
        if (cause instanceof TopicAuthorizationException) {
            return new UserException(
                    "not allowed to write to " + topic + " on " + servers
                            + ": a department writes only its own peony.share.*.<code> topics",
                    1);
        }
        return new UserException("cannot write to " + topic + " on " + servers + ": " + cause.getMessage(), 1);
    }

    /** Status names {@code --status} accepts, upper-cased. */
    static String status(String text, List<String> accepted) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        if (!accepted.contains(upper)) {
            throw new UserException("--status " + text + ": expected one of " + String.join(", ", accepted));
        }
        return upper;
    }
}
