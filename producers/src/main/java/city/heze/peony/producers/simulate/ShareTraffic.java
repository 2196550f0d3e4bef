package city.heze.peony.producers.simulate;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Share applications (共享申请) for conditional catalogs and their answers. Every application is
 * emitted with its answer at once, its times chosen so that its fate is certain whatever the working
 * calendar says: a timely answer comes within hours of submission (any deadline is at least a working
 * day away), a late one or a missing one belongs to an application submitted more than twice its
 * deadline plus 25 days ago (longer than any run of holidays can stretch it).
 */
final class ShareTraffic {

    /**
     * An application with its answer (null when it is never answered) and the fate that decided it.
     * Each is written where the department that wrote it may write: the request on the requester's
     * own topic, the answer on the provider's, a withdrawal on the requester's (Peony's ingress moves
     * them to the canonical topics). The simulator does not create these topics: whoever sets the
     * departments up does ({@link Topics#shareIngressTopicsOf}).
     */
    record Application(ShareRequest request, ShareDecision decision, ShareFate fate) {

        /** {@code peony.share.requests.<requester>}. */
        String requestTopic() {
            return Topics.shareRequestsOf(request.getRequestingDepartment());
        }

        /** {@code peony.share.decisions.<the department that decided>}, or null with no decision. */
        String decisionTopic() {
            return decision == null ? null : Topics.shareDecisionsOf(decision.getDecidedBy());
        }
    }

    /** The deadline assumed when neither application nor catalog names one: the longest Peony uses. */
    private static final int ASSUMED_DEADLINE_WORKING_DAYS = 20;

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private final List<CatalogEntry> conditional;
    private final List<String> departments;
    private final double late;
    private final double never;
    private final double withdrawn;

    ShareTraffic(
            List<CatalogEntry> conditional, List<String> departments, double late, double never, double withdrawn) {
        this.conditional = conditional;
        this.departments = departments;
        this.late = late;
        this.never = never;
        this.withdrawn = withdrawn;
    }

    /** The departments that apply and answer: each needs its own share topics. */
    List<String> departments() {
        return departments;
    }

    /**
     * Checks that every department's share topics exist, since the simulator never creates them (the
     * broker may not either).
     *
     * @param existing the topics on the cluster
     * @throws PublisherSetupException naming the first topic missing
     */
    void requireTopics(Set<String> existing) {
        for (String department : departments) {
            for (PeonyTopic topic : Topics.shareIngressTopicsOf(department)) {
                if (!existing.contains(topic.name())) {
                    throw new PublisherSetupException("no topic " + topic.name() + ": share traffic is written"
                            + " where each department may write, its own peony.share.requests.<code> and"
                            + " peony.share.decisions.<code>; create them for " + departments + " first");
                }
            }
        }
    }

    Application next(Random random, long now) {
        CatalogEntry catalog = CityVocabulary.pick(random, conditional);
        String provider = catalog.getDepartment();
        String requester;
        do {
            requester = CityVocabulary.pick(random, departments);
        } while (requester.equals(provider) && departments.size() > 1);
        Integer deadline = random.nextInt(10) == 0 ? catalog.getShareDeadlineWorkingDays() : null;
        int assumed = deadline != null
                ? deadline
                : catalog.getShareDeadlineWorkingDays() != null
                        ? catalog.getShareDeadlineWorkingDays()
                        : ASSUMED_DEADLINE_WORKING_DAYS;

        double u = random.nextDouble();
        ShareFate fate;
        if (u < never) {
            fate = ShareFate.NEVER;
        } else if (u < never + late) {
            fate = ShareFate.LATE;
        } else if (u < never + late + withdrawn) {
            fate = ShareFate.WITHDRAWN;
        } else {
            fate = random.nextInt(100) < 85 ? ShareFate.APPROVED : ShareFate.REFUSED;
        }
        long submittedAt = switch (fate) {
            case NEVER, LATE -> now - (2L * assumed + 25 + random.nextInt(10)) * DAY - random.nextInt(8) * HOUR;
            case WITHDRAWN -> now - HOUR - (long) (random.nextDouble() * 47 * HOUR);
            default -> now - 5 * 60_000L - (long) (random.nextDouble() * 4 * HOUR);
        };
        String applicationId = "SQ"
                + LocalDate.ofEpochDay(CivilDates.epochDayInCity(submittedAt))
                        .toString()
                        .replace("-", "")
                + "-" + hex8(random);
        ShareRequest request = ShareRequest.newBuilder()
                .setApplicationId(applicationId)
                .setCatalogId(catalog.getId())
                .setProviderDepartment(provider)
                .setRequestingDepartment(requester)
                .setPurpose(CityVocabulary.purpose(random))
                .setSubmittedAt(Instant.ofEpochMilli(submittedAt))
                .setDeadlineWorkingDays(deadline)
                .build();
        ShareDecision decision = switch (fate) {
            case NEVER -> null;
            case APPROVED, LATE -> decision(applicationId, ShareDecisionKind.APPROVED, null, now, provider);
            case REFUSED ->
                decision(applicationId, ShareDecisionKind.REFUSED, CityVocabulary.refusal(random), now, provider);
            case WITHDRAWN -> decision(applicationId, ShareDecisionKind.WITHDRAWN, "申请单位撤回", now, requester);
        };
        return new Application(request, decision, fate);
    }

    private static ShareDecision decision(
            String applicationId, ShareDecisionKind kind, String reason, long decidedAt, String by) {
        return ShareDecision.newBuilder()
                .setApplicationId(applicationId)
                .setDecision(kind)
                .setReason(reason)
                .setDecidedAt(Instant.ofEpochMilli(decidedAt))
                .setDecidedBy(by)
                .build();
    }

    private static String hex8(Random random) {
        String hex = Integer.toHexString(random.nextInt());
        return "00000000".substring(hex.length()) + hex;
    }
}
