package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/** Catalogs, requests and decisions for the share tests, with times in the city's civil time. */
final class ShareFixtures {
    static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

    private ShareFixtures() {}

    /** {@code 2025-09-26T10:00} in Asia/Shanghai. */
    static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(CITY).toInstant();
    }

    /** The end of a deadline day: 23:59:59.999 Asia/Shanghai. */
    static Instant endOf(String date) {
        return at(date + "T23:59:59.999");
    }

    static CatalogEntry catalog(String id, String department, ShareType type, Integer deadlineDays) {
        return CatalogEntry.newBuilder()
                .setId(id)
                .setResourceCode("37170000-" + id)
                .setName("目录 " + id)
                .setDepartment(department)
                .setSchema$(
                        "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[{\"name\":\"recordId\","
                                + "\"type\":\"string\"}]}")
                .setShareType(type)
                .setOpenType(OpenType.NOT_OPEN)
                .setUpdateCycle(UpdateCycle.DAILY)
                .setFieldRules(List.of())
                .setShareDeadlineWorkingDays(deadlineDays)
                .setPublishedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .build();
    }

    static ShareRequest request(String id, String catalogId, String provider, String requester, Instant submittedAt) {
        return new ShareRequest(id, catalogId, provider, requester, "低保资格核查", submittedAt, null);
    }

    /** Most tests apply to mz's catalog from rs: these decide as mz (provider) and rs (requester). */
    static ShareDecision approve(String id, Instant at) {
        return approveBy("mz", id, at);
    }

    static ShareDecision approveBy(String provider, String id, Instant at) {
        return new ShareDecision(id, ShareDecisionKind.APPROVED, null, at, provider, null);
    }

    static ShareDecision refuse(String id, String reason, Instant at) {
        return refuseBy("mz", id, reason, at);
    }

    static ShareDecision refuseBy(String provider, String id, String reason, Instant at) {
        return new ShareDecision(id, ShareDecisionKind.REFUSED, reason, at, provider, null);
    }

    static ShareDecision withdraw(String id, Instant at) {
        return new ShareDecision(id, ShareDecisionKind.WITHDRAWN, null, at, "rs", null);
    }

    static ShareDecision revoke(String id, String reason, Instant at) {
        return new ShareDecision(id, ShareDecisionKind.REVOKED, reason, at, "mz", null);
    }
}
