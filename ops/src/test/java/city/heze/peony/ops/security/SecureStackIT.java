package city.heze.peony.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.access.PublicReader;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.ops.PeonyStack;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.ops.linkage.LinkageOutputs;
import city.heze.peony.ops.metrics.DashboardMetricsCheck;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.producers.simulate.LinkedPopulation;
import city.heze.peony.producers.simulate.PlantedCases;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.linkage.LinkageApp;
import city.heze.peony.streams.linkage.LinkageSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony up --secure} as a city runs it: the stack in this JVM with the shipped catalogs,
 * four departments added with {@code peony department add}, and each department's own Kafka
 * clients and registry client, signed in with the file that command wrote. Exactly the cells the
 * rules allow succeed; approvals open a shared topic and withdrawal, revocation and expiry close
 * it again, each within 5 s; a restart keeps the same ACLs and a hand-deleted one comes back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureStackIT {
    /** The bound for approval, withdrawal, revocation and expiry to reach the broker. */
    static final Duration WITHIN = Duration.ofSeconds(5);

    static final Map<String, String> NAMES =
            Map.of("mz", "菏泽市民政局", "rs", "菏泽市人力资源和社会保障局", "ga", "菏泽市公安局", "scjg", "菏泽市市场监督管理局");

    @TempDir
    static Path dir;

    static PeonyStack stack;
    static String bootstrap;
    static String registryUrl;
    static Path adminFile;
    static Properties admin;
    static final Map<String, DepartmentClient> clients = new LinkedHashMap<>();

    @BeforeAll
    static void upSecuredWithFourDepartments() throws Exception {
        stack = start();
        for (String code : NAMES.keySet().stream().sorted().toList()) {
            PeonyRun added = peony(
                    "department",
                    "add",
                    code,
                    "--name",
                    NAMES.get(code),
                    "--client-file",
                    dir.resolve(code + ".properties").toString(),
                    "--client-config",
                    adminFile.toString());
            assertThat(added.exitCode()).as(added.toString()).isZero();
            assertThat(added.out())
                    .doesNotContain(DepartmentClient.load(dir.resolve(code + ".properties"))
                            .getProperty("basic.auth.user.info")
                            .split(":", 2)[1]);
            clients.put(code, new DepartmentClient(code, dir.resolve(code + ".properties")));
        }
    }

    static PeonyStack start() {
        PeonyStack started = PeonyStack.start(new PeonyStack.Settings(
                dir.resolve("data"), 0, 0, 0, Path.of("catalog"), null, true, new PrintWriter(new StringWriter())));
        bootstrap = started.endpoints().get("bootstrap.servers");
        registryUrl = started.endpoints().get("schema.registry.url");
        adminFile = Path.of(started.endpoints().get("client.config"));
        admin = DepartmentClient.load(adminFile);
        return started;
    }

    @AfterAll
    static void down() {
        clients.values().forEach(DepartmentClient::close);
        if (stack != null) {
            stack.close();
        }
    }

    static PeonyRun peony(String... args) {
        return PeonyRun.peony(bootstrap, registryUrl, args);
    }

    /** One department's view of the city: which catalog is whose, per kind of topic. */
    record Sides(String own, String otherRaw, String conditionalOfOther, String unconditionalOfOther, String other) {}

    static final Map<String, Sides> SIDES = Map.of(
            "mz",
                    new Sides(
                            "mz.social-assistance",
                            "rs.pension-recipients",
                            "ga.household-registration",
                            "scjg.business-registration",
                            "rs"),
            "rs",
                    new Sides(
                            "rs.pension-recipients",
                            "mz.social-assistance",
                            "mz.social-assistance",
                            "scjg.business-registration",
                            "mz"),
            "ga",
                    new Sides(
                            "ga.household-registration",
                            "scjg.business-registration",
                            "rs.pension-recipients",
                            "rs.employment-registration",
                            "scjg"),
            "scjg",
                    new Sides(
                            "scjg.business-registration",
                            "ga.household-registration",
                            "mz.marriage-registration",
                            "wj.death-registration",
                            "ga"));

    /** Peony's own topics: no department reads or writes any, except reading the catalog directory. */
    static final List<String> INTERNAL = List.of(
            Topics.REJECTED.name(),
            Topics.SHARE_REQUESTS.name(),
            Topics.SHARE_DECISIONS.name(),
            Topics.SHARE_OUTCOMES.name(),
            Topics.SHARE_GRANTS.name(),
            Topics.DEPARTMENTS.name(),
            Topics.ACCESS_ACLS.name(),
            Topics.QUALITY.name(),
            Topics.SCHEMAS.name());

    enum Op {
        PRODUCE,
        CONSUME,
        DESCRIBE
    }

    record Cell(String department, String resource, Op op, boolean expected) {}

    /** The rules written out by hand (docs/security.md), independent of the code that computes them. */
    static List<Cell> expectedCells(String d) {
        Sides s = SIDES.get(d);
        List<Cell> cells = new ArrayList<>();
        topic(cells, d, Topics.raw(s.own()), true, false, true);
        topic(cells, d, Topics.raw(s.otherRaw()), false, false, false);
        topic(cells, d, Topics.shared(s.own()), false, true, true);
        topic(cells, d, Topics.shared(s.conditionalOfOther()), false, false, false);
        topic(cells, d, Topics.shared(s.unconditionalOfOther()), false, true, true);
        topic(cells, d, Topics.CATALOG.name(), false, true, true);
        for (String internal : INTERNAL) {
            topic(cells, d, internal, false, false, false);
        }
        topic(cells, d, Topics.shareRequestsOf(d), true, false, true);
        topic(cells, d, Topics.shareDecisionsOf(d), true, false, true);
        topic(cells, d, Topics.shareRequestsOf(s.other()), false, false, false);
        topic(cells, d, Topics.shareDecisionsOf(s.other()), false, false, false);
        return cells;
    }

    private static void topic(
            List<Cell> cells, String d, String topic, boolean produce, boolean consume, boolean describe) {
        cells.add(new Cell(d, topic, Op.PRODUCE, produce));
        cells.add(new Cell(d, topic, Op.CONSUME, consume));
        cells.add(new Cell(d, topic, Op.DESCRIBE, describe));
    }

    static boolean probe(DepartmentClient client, String topic, Op op) {
        return switch (op) {
            case PRODUCE -> client.canProduce(topic);
            case CONSUME -> client.canConsume(topic);
            case DESCRIBE -> client.canDescribe(topic);
        };
    }

    @Test
    @Order(1)
    void exactlyTheAllowedCellsSucceedForEveryDepartmentTopicKindAndOperation() throws Exception {
        // The base ACLs of a department added a moment ago arrive within the reconciler's next pass.
        DepartmentClient last = clients.get("scjg");
        await(
                "scjg's base ACLs",
                WITHIN.multipliedBy(2),
                () -> last.canDescribe(Topics.shared("scjg.business-registration")));

        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (DepartmentClient client : clients.values()) {
            for (Cell cell : expectedCells(client.code)) {
                cells++;
                boolean actual = probe(client, cell.resource(), cell.op());
                if (actual != cell.expected()) {
                    wrong.add(cell + " but was " + (actual ? "allowed" : "denied"));
                }
            }
            // Transactions (publish --all-or-nothing): only under the department's own prefix.
            cells += 2;
            if (!client.canUseTransactionalId(client.code + ".publish-probe")) {
                wrong.add(client.code + " transactional id " + client.code
                        + ".publish-probe expected allowed but was denied");
            }
            String others = SIDES.get(client.code).other() + ".publish-probe";
            if (client.canUseTransactionalId(others)) {
                wrong.add(client.code + " transactional id " + others + " expected denied but was allowed");
            }
            // Registry subjects: a department registers only its own catalogs' subjects.
            try (SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(ClientConfigs.toMap(admin))) {
                Sides s = SIDES.get(client.code);
                String ownSubject = Topics.rawValueSubject(s.own());
                String otherSubject = Topics.rawValueSubject(s.otherRaw());
                cells += 2;
                if (!client.canRegister(ownSubject, registry.latest(ownSubject).schema())) {
                    wrong.add(client.code + " register " + ownSubject + " expected allowed but was denied");
                }
                if (client.canRegister(
                        otherSubject, registry.latest(otherSubject).schema())) {
                    wrong.add(client.code + " register " + otherSubject + " expected denied but was allowed");
                }
            }
        }
        System.out.println("SecureStackIT: access matrix of " + cells + " cells (" + clients.size() + " departments), "
                + wrong.size() + " wrong");
        assertThat(wrong).as("cells that disagree with the rules").isEmpty();
        assertThat(cells).isGreaterThanOrEqualTo(4 * 19 * 3 + 16);
    }

    @Test
    @Order(2)
    void approvalOpensASharedTopicAndWithdrawalRevocationAndExpiryCloseItWithinFiveSeconds() throws Exception {
        List<Long> latencies = new ArrayList<>();
        // rs applies for mz's conditional catalog; mz approves, later revokes.
        latencies.add(approve("rs", "mz.social-assistance", "mz", "SEC-REVOKE", null));
        long revoked = time(
                () -> runAs("mz", "share", "revoke", "SEC-REVOKE", "--reason", "核对完成"),
                "rs",
                "mz.social-assistance",
                false);
        // ga applies for rs's; rs approves; ga withdraws.
        latencies.add(approve("ga", "rs.pension-recipients", "rs", "SEC-WITHDRAW", null));
        long withdrawn =
                time(() -> runAs("ga", "share", "withdraw", "SEC-WITHDRAW"), "ga", "rs.pension-recipients", false);
        // scjg applies for mz's other catalog; approved for a few seconds only.
        OffsetDateTime until = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusSeconds(12);
        latencies.add(approve("scjg", "mz.marriage-registration", "mz", "SEC-EXPIRE", until));
        long untilMillis = until.toInstant().toEpochMilli();
        await(
                "scjg's access to end when it expires",
                Duration.ofMillis(Math.max(0, untilMillis - System.currentTimeMillis()))
                        .plus(WITHIN),
                () -> !clients.get("scjg").canConsume(Topics.shared("mz.marriage-registration")));
        long expired = Math.max(0, System.currentTimeMillis() - untilMillis);
        // mz applies for ga's; ga approves and it stays.
        latencies.add(approve("mz", "ga.household-registration", "ga", "SEC-STAYS", null));

        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.println("SecureStackIT: approval to first successful consume, ms: " + latencies + " (median "
                + (sorted.get(1) + sorted.get(2)) / 2 + ", max " + sorted.get(3) + "); revocation " + revoked
                + " ms, withdrawal " + withdrawn + " ms, expiry " + expired + " ms after valid-until");
        assertThat(sorted.get(3)).isLessThanOrEqualTo(WITHIN.toMillis());
        assertThat(List.of(revoked, withdrawn, expired)).allMatch(ms -> ms <= WITHIN.toMillis());
    }

    @Test
    @Order(3)
    void aDecisionByADepartmentThatIsNotTheProviderGrantsNothingAndIsRejectedWithTheReason() throws Exception {
        PeonyRun requested = runAs(
                "rs",
                "share",
                "request",
                "--from",
                "rs",
                "--catalog",
                "ga.vehicle-registration",
                "--purpose",
                "车辆核查",
                "--id",
                "SEC-FORGED");
        assertThat(requested.exitCode()).as(requested.toString()).isZero();
        PeonyRun forged = runAs("scjg", "share", "decide", "SEC-FORGED", "--approve");
        assertThat(forged.exitCode()).as(forged.toString()).isZero(); // written to scjg's own topic: allowed
        await(
                "the forged approval on peony.rejected",
                Duration.ofSeconds(30),
                () -> rejectionsMention("SEC-FORGED", "not its provider"));
        assertThat(clients.get("rs").canConsume(Topics.shared("ga.vehicle-registration")))
                .isFalse();
        // Nor can a department write in another's name, on the broker or through the command.
        assertThat(clients.get("scjg").canProduce(Topics.shareDecisionsOf("ga")))
                .isFalse();
        PeonyRun impersonated = runAs("scjg", "share", "decide", "SEC-FORGED", "--approve", "--by", "ga");
        assertThat(impersonated.exitCode()).isEqualTo(2);
        assertThat(impersonated.err()).contains("signed in as scjg").doesNotContain("Exception");
    }

    @Test
    @Order(4)
    void unauthenticatedAndWrongPasswordClientsAreRefused() throws Exception {
        try (Admin anonymous = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        Properties wrong = new Properties();
        wrong.putAll(clients.get("rs").properties);
        wrong.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"rs\" password=\"not-the-password\";");
        wrong.put("basic.auth.user.info", "rs:not-the-password");
        try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(wrong))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        Path wrongFile = dir.resolve("rs-wrong.properties");
        try (var out = Files.newBufferedWriter(wrongFile)) {
            wrong.store(out, null);
        }
        PeonyRun refused = peony(
                "share",
                "request",
                "--from",
                "rs",
                "--catalog",
                "mz.social-assistance",
                "--purpose",
                "x",
                "--client-config",
                wrongFile.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err())
                .contains("User:rs")
                .contains(bootstrap)
                .doesNotContain("Exception:")
                .doesNotContain("\tat ");
    }

    @Test
    @Order(5)
    void everyMetricTheAccessAlertUsesIsInTheScrapeOfTheSecuredStack() throws Exception {
        DashboardMetricsCheck check = DashboardMetricsCheck.forSecuredStack(DashboardMetricsCheck.opsDirectory());
        assertThat(check.requiredNames()).isNotEmpty();
        String scrape = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.endpoints().get("metrics")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(check.missingFrom(scrape))
                .as(DashboardMetricsCheck.report(check.missingFrom(scrape)))
                .isEmpty();
        // The approvals of the test before were timed from the decision to the ACL.
        assertThat(scrape).contains("peony_access_approval_to_access_seconds_count");
    }

    @Test
    @Order(6)
    void aHandDeletedAclComesBackAndARestartKeepsExactlyTheSameAcls() throws Exception {
        try (Admin a = Admin.create(ClientConfigs.kafkaOnly(admin))) {
            AclBindingFilter rsReadsOwnShared = new AclBindingFilter(
                    new ResourcePatternFilter(
                            ResourceType.TOPIC, Topics.shared("rs.pension-recipients"), PatternType.LITERAL),
                    new AccessControlEntryFilter("User:rs", "*", AclOperation.READ, AclPermissionType.ALLOW));
            assertThat(a.deleteAcls(List.of(rsReadsOwnShared)).all().get(10, TimeUnit.SECONDS))
                    .hasSize(1);
            await(
                    "the deleted ACL to come back",
                    WITHIN,
                    () -> !acls(a, rsReadsOwnShared).isEmpty());

            Set<AclBinding> before = acls(a, AclBindingFilter.ANY);
            stack.close();
            stack = null;
            stack = start();
            Set<AclBinding> after;
            try (Admin again = Admin.create(ClientConfigs.kafkaOnly(admin))) {
                after = acls(again, AclBindingFilter.ANY);
            }
            System.out.println(
                    "SecureStackIT: " + before.size() + " ACL bindings before the restart, " + after.size() + " after");
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    @Order(7)
    void aDepartmentRunsItsLinkageScenarioUnderItsOwnNameAndOnlyWithApprovals() throws Exception {
        pointDepartmentsAtTheRestartedStack();
        LinkageScenario review = LinkageScenario.SOCIAL_ASSISTANCE_REVIEW;
        // Without approvals for ga's vehicles and rs's pensions, mz cannot even see those topics.
        PeonyRun refused = runAs(
                "mz",
                "linkage",
                "run",
                review.id(),
                "--state-dir",
                dir.resolve("linkage-refused").toString(),
                "--metrics-port",
                "0");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err())
                .contains(Topics.shared("ga.vehicle-registration"))
                .contains(Topics.shared("rs.pension-recipients"))
                .doesNotContain(Topics.shared("wj.death-registration"))
                .doesNotContain("Exception");

        approve("mz", "ga.vehicle-registration", "ga", "SEC-LINK-GA", null);
        approve("mz", "rs.pension-recipients", "rs", "SEC-LINK-RS", null);
        PlantedCases planted = LinkedPopulation.builder(stack.clientProperties())
                .people(400)
                .seed(12L)
                .build()
                .run();
        assertThat(planted.flags()).isNotEmpty();

        Properties mz = DepartmentClient.load(dir.resolve("mz.properties"));
        try (LinkageApp app = LinkageApp.start(
                review,
                mz,
                review.departmentApplicationId(),
                "exactly_once_v2",
                dir.resolve("linkage-mz"),
                LinkageSettings.defaults(),
                new SimpleMeterRegistry())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60)))
                    .as("mz's review is RUNNING")
                    .isTrue();
            Map<String, Set<ReviewFlagKind>> found = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!found.equals(planted.flags()) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                found = LinkageOutputs.flagged(
                        LinkageOutputs.reviews(stack.clientProperties()).values());
            }
            assertThat(found).as("what mz's own run flagged").isEqualTo(planted.flags());
            try (Admin a = Admin.create(ClientConfigs.kafkaOnly(admin))) {
                assertThat(a.listTopics().names().get(10, TimeUnit.SECONDS))
                        .as("its internal topics are under its own prefix")
                        .anyMatch(t -> t.startsWith(review.departmentApplicationId() + "-"))
                        .noneMatch(t -> t.startsWith(review.applicationId()));
            }
        }
    }

    @Test
    @Order(8)
    void thePublicReadsTheOpenedCatalogsAndNothingElse() throws Exception {
        Path publicFile = Path.of(stack.endpoints().get("public.config"));
        assertThat(publicFile).isEqualTo(PublicClientFile.in(dir.resolve("data")));
        // Open data is public, and so is the file that reads it; admin.properties stays the owner's.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(publicFile)))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminFile)))
                .isEqualTo("rw-------");
        Properties anyone = DepartmentClient.load(publicFile);
        assertThat(SignedIn.of(anyone).user()).contains(PublicReader.CODE);

        String catalog = "scjg.business-registration";
        Set<String> shared = shareGenerated(catalog, 10);
        Map<String, GenericRecord> read = readOpened(anyone, Topics.open(catalog), shared);
        assertThat(read.keySet())
                .as("opened records the public read through its own group")
                .isEqualTo(shared);
        assertThat(read.values())
                .as("the open schema, resolved from the registry by the public")
                .allMatch(r -> r.getSchema().getField("legalRepresentativeId") == null);

        List<String> wrong = new ArrayList<>();
        int cells = 0;
        try (DepartmentClient pub = new DepartmentClient(PublicReader.CODE, publicFile);
                Admin a = Admin.create(ClientConfigs.kafkaOnly(admin))) {
            List<String> topics = a.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .sorted()
                    .toList();
            assertThat(topics)
                    .contains(Topics.open(catalog), Topics.shared(catalog), Topics.raw(catalog))
                    .contains(Topics.OPEN_RATES.name(), Topics.OPEN_WITHHELD.name(), Topics.SCHEMAS.name());
            for (String topic : topics) {
                boolean open = topic.startsWith(Topics.OPEN_PREFIX);
                for (Op op : Op.values()) {
                    cells++;
                    boolean expected = open && op != Op.PRODUCE;
                    boolean actual = probe(pub, topic, op);
                    if (actual != expected) {
                        wrong.add("public " + op + " " + topic + " expected " + (expected ? "allowed" : "denied")
                                + " but was " + (actual ? "allowed" : "denied"));
                    }
                }
            }
            cells += 3;
            if (pub.canUseTransactionalId(PublicReader.GROUP_PREFIX + "tx")) {
                wrong.add("public transactional id expected denied but was allowed");
            }
            String subject = Topics.openValueSubject(catalog);
            try (SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(ClientConfigs.toMap(anyone))) {
                if (pub.canRegister(subject, registry.latest(subject).schema())) {
                    wrong.add("public register " + subject + " expected denied but was allowed");
                }
            }
            if (canReadThroughGroup(anyone, "scjg.public-probe", Topics.open(catalog))) {
                wrong.add("public group scjg.public-probe expected denied but was allowed");
            }
            System.out.println("SecureStackIT: the public read " + read.size() + " opened records; access matrix of "
                    + cells + " cells over " + topics.size() + " topics, " + wrong.size() + " wrong");
        }
        assertThat(wrong).as("what the public may do, against open.* only").isEmpty();
        assertThat(cells).isGreaterThan(3 * 30);
        // peony access explains it as the reconciler computes it.
        PeonyRun mayRead = peony(
                "access", "check", "public", Topics.open(catalog), "READ", "--client-config", adminFile.toString());
        assertThat(mayRead.exitCode()).as(mayRead.toString()).isZero();
        PeonyRun mayNot = peony(
                "access", "check", "public", Topics.shared(catalog), "READ", "--client-config", adminFile.toString());
        assertThat(mayNot.exitCode()).as(mayNot.toString()).isEqualTo(1);
        assertThat(mayNot.out()).contains("denied").contains("only reads open.*");
        // No department may take the public's name.
        PeonyRun taken = peony(
                "department",
                "add",
                "public",
                "--name",
                "公众",
                "--client-file",
                dir.resolve("public-dept.properties").toString(),
                "--client-config",
                adminFile.toString());
        assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(2);
        assertThat(taken.err()).contains("public reader of open data");
    }

    /** {@code count} generated records of {@code catalog} on shared.*, as Peony shares them; returns their keys. */
    private static Set<String> shareGenerated(String catalog, int count) throws Exception {
        RecordGenerator generator = RecordGenerator.forCatalog(CatalogFile.load(Path.of("catalog", catalog + ".yaml")));
        Random random = new Random(8);
        Set<String> keys = new HashSet<>();
        try (PeonyAvroSerializer values = new PeonyAvroSerializer();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        ClientConfigs.kafkaOnly(admin), new ByteArraySerializer(), new ByteArraySerializer())) {
            values.configure(ClientConfigs.toMap(admin), false);
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                GenericRecord record = generator.nextRecord(random, now);
                String key = record.get("recordId").toString();
                keys.add(key);
                producer.send(new ProducerRecord<>(
                                Topics.shared(catalog),
                                null,
                                now,
                                key.getBytes(StandardCharsets.UTF_8),
                                values.serialize(Topics.raw(catalog), record)))
                        .get(20, TimeUnit.SECONDS);
            }
        }
        return keys;
    }

    /** Reads {@code topic} as {@code client} in group public.secure-stack-it until every record id of {@code keys} arrived. */
    private static Map<String, GenericRecord> readOpened(Properties client, String topic, Set<String> keys) {
        Properties c = new Properties();
        c.putAll(ClientConfigs.kafkaOnly(client));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, PublicReader.GROUP_PREFIX + "secure-stack-it");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, GenericRecord> read = new LinkedHashMap<>();
        try (PeonyAvroDeserializer values = new PeonyAvroDeserializer();
                KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(ClientConfigs.toMap(client), false);
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!read.keySet().containsAll(keys) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord opened = (GenericRecord) values.deserialize(r.topic(), r.value());
                    String recordId = String.valueOf(opened.get("recordId")); // kept as it is (KEEP)
                    if (keys.contains(recordId)) {
                        read.put(recordId, opened);
                    }
                }
            }
            consumer.commitSync(Duration.ofSeconds(10)); // a group offset commit: READ on the public's group
        }
        return read;
    }

    /** Whether {@code client} may consume {@code topic} in consumer group {@code group}. */
    private static boolean canReadThroughGroup(Properties client, String group, String topic) {
        Properties c = new Properties();
        c.putAll(ClientConfigs.kafkaOnly(client));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " neither joined nor was refused within 30 s");
                }
                consumer.poll(Duration.ofMillis(200));
            }
            return true;
        } catch (GroupAuthorizationException e) {
            return false;
        }
    }

    /** The restart in test 6 moved the ports: the departments' client files and clients follow. */
    private static void pointDepartmentsAtTheRestartedStack() throws Exception {
        for (String code : List.copyOf(clients.keySet())) {
            Path file = dir.resolve(code + ".properties");
            Properties props = DepartmentClient.load(file);
            props.put("bootstrap.servers", bootstrap);
            props.put("schema.registry.url", registryUrl);
            try (var out = Files.newBufferedWriter(file)) {
                props.store(out, "moved to the restarted stack");
            }
            clients.get(code).close();
            clients.put(code, new DepartmentClient(code, file));
        }
    }

    private static Set<AclBinding> acls(Admin a, AclBindingFilter filter) {
        try {
            return new HashSet<>(a.describeAcls(filter).values().get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot describe the ACLs", e);
        }
    }

    /** Submits, approves (as the provider) and returns ms from the approval command to the first successful consume. */
    private static long approve(String requester, String catalog, String provider, String id, OffsetDateTime until)
            throws Exception {
        PeonyRun requested = runAs(
                requester,
                "share",
                "request",
                "--from",
                requester,
                "--catalog",
                catalog,
                "--purpose",
                "核验",
                "--id",
                id);
        assertThat(requested.exitCode()).as(requested.toString()).isZero();
        assertThat(clients.get(requester).canConsume(Topics.shared(catalog)))
                .as("before approval")
                .isFalse();
        List<String> decide = new ArrayList<>(List.of("share", "decide", id, "--approve"));
        if (until != null) {
            decide.addAll(List.of("--valid-until", until.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        }
        return time(() -> runAs(provider, decide.toArray(String[]::new)), requester, catalog, true);
    }

    /** Runs {@code action}, then ms until {@code department} can (or cannot) consume shared.{@code catalog}. */
    private static long time(ThrowingRun action, String department, String catalog, boolean canConsume)
            throws Exception {
        long start = System.nanoTime();
        PeonyRun run = action.run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        await(
                department + (canConsume ? " to read " : " to lose ") + catalog,
                WITHIN.plusSeconds(5),
                () -> clients.get(department).canConsume(Topics.shared(catalog)) == canConsume);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    interface ThrowingRun {
        PeonyRun run() throws Exception;
    }

    private static PeonyRun runAs(String department, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--client-config", dir.resolve(department + ".properties").toString()));
        return peony(all.toArray(String[]::new));
    }

    private static boolean rejectionsMention(String applicationId, String reason) {
        try (Serde<Rejection> serde = new PeonySerdes(ClientConfigs.toMap(admin)).rejection()) {
            return city.heze.peony.ops.publish.TopicContents.raw(ClientConfigs.kafkaOnly(admin), Topics.REJECTED.name())
                    .stream()
                    .map(r -> serde.deserializer().deserialize(r.topic(), r.value()))
                    .flatMap(r -> r.getFailures().stream())
                    .anyMatch(f -> f.getReason().contains(applicationId)
                            && f.getReason().contains(reason));
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what);
            }
            Thread.sleep(100);
        }
    }
}
