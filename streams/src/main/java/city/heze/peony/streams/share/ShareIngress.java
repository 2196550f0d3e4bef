package city.heze.peony.streams.share;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.topology.StreamsTopics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where departments' share traffic enters Peony. A department may write only its own {@code
 * peony.share.requests.<code>} and {@code peony.share.decisions.<code>} (the ACLs see to it), so the
 * topic a record was read from says who wrote it. Only Peony writes the canonical {@code
 * peony.share.requests} and {@code peony.share.decisions}: a request goes there unchanged if it is
 * in the writer's own name; a decision goes there with {@code decidedBy} set to the writer (stamped
 * if empty, unchanged if equal). Anything else, and what cannot be decoded, goes to peony.rejected
 * with its bytes.
 *
 * <pre>
 * peony.share.requests.&lt;dept&gt;  --&gt; share-ingress-requests  --+--&gt; share-ingress-requests-out  --&gt; peony.share.requests
 *                                                             +--&gt; share-ingress-rejections-of-requests --&gt; peony.rejected
 * peony.share.decisions.&lt;dept&gt; --&gt; share-ingress-decisions --+--&gt; share-ingress-decisions-out --&gt; peony.share.decisions
 *                                                             +--&gt; share-ingress-rejections-of-decisions --&gt; peony.rejected
 * </pre>
 *
 * Sources subscribe by pattern, so a department added while the application runs is picked up at the
 * consumer's next metadata refresh ({@link ShareSlaApp#streamsConfig} keeps that short).
 */
public final class ShareIngress {
    public static final String REQUESTS = "share-ingress-requests";
    public static final String DECISIONS = "share-ingress-decisions";
    static final String REQUESTS_OUT = "share-ingress-requests-out";
    static final String DECISIONS_OUT = "share-ingress-decisions-out";
    static final String REQUEST_REJECTIONS = "share-ingress-rejections-of-requests";
    static final String DECISION_REJECTIONS = "share-ingress-rejections-of-decisions";

    private ShareIngress() {}

    /** Adds the ingress to {@code builder}; its outputs are the share topology's inputs. */
    public static void addTo(StreamsBuilder builder, ShareSlaContext ctx) {
        StreamsTopics topics = ctx.topics();
        Consumed<byte[], byte[]> bytes = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());

        KStream<byte[], Object> requests = builder.stream(
                        Topics.SHARE_REQUESTS_INGRESS_PATTERN, bytes.withName("share-ingress-requests-source"))
                .process(() -> new Gate(ctx, false, REQUESTS_OUT, REQUEST_REJECTIONS), Named.as(REQUESTS));
        wire(requests, topics.shareRequests.name(), REQUESTS_OUT, REQUEST_REJECTIONS, topics, "requests");

        KStream<byte[], Object> decisions = builder.stream(
                        Topics.SHARE_DECISIONS_INGRESS_PATTERN, bytes.withName("share-ingress-decisions-source"))
                .process(() -> new Gate(ctx, true, DECISIONS_OUT, DECISION_REJECTIONS), Named.as(DECISIONS));
        wire(decisions, topics.shareDecisions.name(), DECISIONS_OUT, DECISION_REJECTIONS, topics, "decisions");
    }

    /**
     * The gate forwards bytes only to {@code out} and rejections only to {@code rejections}, so each
     * child receives one type and the casts cannot fail.
     */
    private static void wire(
            KStream<byte[], Object> gate,
            String canonical,
            String out,
            String rejections,
            StreamsTopics topics,
            String what) {
        gate.mapValues(v -> (byte[]) v, Named.as(out))
                .to(
                        canonical,
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("share-ingress-" + what + "-sink"));
        gate.mapValues(v -> (Rejection) v, Named.as(rejections))
                .to(
                        topics.rejected.name(),
                        Produced.with(Serdes.ByteArray(), topics.rejected.valueSerde())
                                .withName("share-ingress-" + what + "-rejected-sink"));
    }

    /** Checks one department's record against the department whose topic it came from. */
    private static final class Gate implements Processor<byte[], byte[], byte[], Object> {
        private final boolean decisions;
        private final String out;
        private final String rejections;
        private final Deserializer<ShareRequest> requestReader;
        private final Deserializer<ShareDecision> decisionReader;
        private final Serializer<ShareDecision> decisionWriter;
        private final String canonicalDecisions;
        private final ShareMeters meters;
        private ProcessorContext<byte[], Object> context;

        Gate(ShareSlaContext ctx, boolean decisions, String out, String rejections) {
            this.decisions = decisions;
            this.out = out;
            this.rejections = rejections;
            this.requestReader = ctx.topics().shareRequests.valueSerde().deserializer();
            this.decisionReader = ctx.topics().shareDecisions.valueSerde().deserializer();
            this.decisionWriter = ctx.topics().shareDecisions.valueSerde().serializer();
            this.canonicalDecisions = ctx.topics().shareDecisions.name();
            this.meters = ctx.meters();
        }

        @Override
        public void init(ProcessorContext<byte[], Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            String department = Topics.departmentOfIngress(source.topic());
            String where = source.topic() + " offset " + source.offset() + ": ";
            long now = context.currentSystemTimeMs();
            try {
                byte[] value =
                        decisions ? decision(record.value(), department, where) : request(record, department, where);
                context.forward(record.withValue((Object) value), out);
            } catch (InvalidShareEvent invalid) {
                meters.rejected(invalid.ruleId());
                Rejection rejection = ShareRejections.of(
                        source, record.timestamp(), record.key(), record.value(), invalid, null, department, now);
                context.forward(new Record<byte[], Object>(record.key(), rejection, now), rejections);
            }
        }

        /** The request's bytes, unchanged, if it is in the name of the department that wrote it. */
        private byte[] request(Record<byte[], byte[]> record, String department, String where) {
            ShareRequest request =
                    ShareApplicationProcessor.decode(requestReader, sourceTopic(), record.value(), "ShareRequest");
            String claimed = request.getRequestingDepartment();
            if (!department.equals(claimed)) {
                throw new InvalidShareEvent(
                        "share.not-own-name",
                        "requestingDepartment",
                        where + "application " + request.getApplicationId() + " is in the name of " + claimed
                                + "; a department submits applications only in its own name");
            }
            return record.value();
        }

        /** The decision's bytes with decidedBy the department that wrote it. */
        private byte[] decision(byte[] value, String department, String where) {
            ShareDecision decision =
                    ShareApplicationProcessor.decode(decisionReader, sourceTopic(), value, "ShareDecision");
            String by = decision.getDecidedBy();
            if (by == null) {
                decision.setDecidedBy(department);
                return decisionWriter.serialize(canonicalDecisions, decision);
            }
            if (!by.equals(department)) {
                throw new InvalidShareEvent(
                        "share.not-own-name",
                        "decidedBy",
                        where + "decision on " + decision.getApplicationId() + " is decidedBy " + by
                                + " but written by " + department
                                + "; a department decides only in its own name");
            }
            return value;
        }

        private String sourceTopic() {
            return context.recordMetadata().orElseThrow().topic();
        }
    }
}
