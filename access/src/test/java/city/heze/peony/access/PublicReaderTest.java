package city.heze.peony.access;

import static city.heze.peony.access.AccessFixtures.catalogs;
import static city.heze.peony.access.AccessFixtures.departments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.access.AccessCheck.Resource;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public reader: {@code open.*} and its own groups, read only; nothing else, and never a department. */
class PublicReaderTest {
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    private final List<Permission> all = AccessPolicy.withPublicReader(catalogs(), departments(), List.of(), NOW);
    private final AccessCheck check = new AccessCheck(catalogs());

    private boolean allowed(ResourceKind kind, String name, Operation op) {
        return check.check(PublicReader.CODE, new Resource(kind, name), op, all).allowed();
    }

    @Test
    void theAccessServiceGivesTheDepartmentsTheirsAndThePublicReadOnOpenOnly() {
        List<Permission> departmentsOnly = AccessPolicy.desired(catalogs(), departments(), List.of(), NOW);
        assertThat(all).startsWith(departmentsOnly.toArray(Permission[]::new));
        assertThat(all.subList(departmentsOnly.size(), all.size()))
                .containsExactlyElementsOf(PublicReader.permissions());
        assertThat(PublicReader.permissions())
                .allMatch(p -> p.principal().equals("User:public"))
                .allMatch(p -> p.operation() == Operation.READ || p.operation() == Operation.DESCRIBE)
                .noneMatch(p -> p.kind() == ResourceKind.SUBJECT || p.kind() == ResourceKind.TRANSACTIONAL_ID);
        assertThat(departmentsOnly).noneMatch(p -> p.department().equals(PublicReader.CODE));
    }

    @Test
    void thePublicReadsAndDescribesOpenTopicsThroughItsOwnGroupsOnly() {
        for (String topic : List.of(Topics.open("scjg.business-registration"), Topics.open("wj.anything-new"))) {
            assertThat(allowed(ResourceKind.TOPIC, topic, Operation.READ))
                    .as(topic)
                    .isTrue();
            assertThat(allowed(ResourceKind.TOPIC, topic, Operation.DESCRIBE))
                    .as(topic)
                    .isTrue();
            assertThat(allowed(ResourceKind.TOPIC, topic, Operation.WRITE))
                    .as(topic)
                    .isFalse();
        }
        assertThat(allowed(ResourceKind.GROUP, "public.my-app", Operation.READ)).isTrue();
        assertThat(allowed(ResourceKind.GROUP, "scjg.my-app", Operation.READ)).isFalse();
        assertThat(allowed(ResourceKind.GROUP, "publicity", Operation.READ)).isFalse();
    }

    @Test
    void thePublicCannotReadWriteOrDescribeAnythingElse() {
        List<String> topics = new ArrayList<>();
        for (var c : catalogs()) {
            topics.add(Topics.raw(c.getId()));
            topics.add(Topics.shared(c.getId()));
        }
        Topics.SYSTEM_TOPICS.forEach(t -> topics.add(t.name()));
        topics.add(Topics.shareRequestsOf("mz"));
        topics.add("opendata.lookalike"); // the prefix is "open.", dot included
        List<String> wrong = new ArrayList<>();
        for (String topic : topics) {
            for (Operation op : Operation.values()) {
                if (allowed(ResourceKind.TOPIC, topic, op)) {
                    wrong.add(op + " " + topic);
                }
            }
        }
        for (Operation op : Operation.values()) {
            if (allowed(ResourceKind.SUBJECT, Topics.openValueSubject("scjg.business-registration"), op)
                    || allowed(ResourceKind.TRANSACTIONAL_ID, "public.tx", op)) {
                wrong.add(op + " subject or transactional id");
            }
        }
        assertThat(wrong).as("what the public may do beyond open.*").isEmpty();
        assertThat(check.check(PublicReader.CODE, Topics.shared("mz.social-assistance"), Operation.READ, all)
                        .reason())
                .contains("only reads open.*");
    }

    @Test
    void noDepartmentMayBeCalledPublic() {
        assertThatThrownBy(() -> new Department(PublicReader.CODE, "公众", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved for the public reader");
        assertThat(new Department("publicity", "x", NOW).code()).isEqualTo("publicity");
    }
}
